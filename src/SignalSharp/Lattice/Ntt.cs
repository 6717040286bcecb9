using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SignalSharp.Lattice;

/// <summary>
/// The number-theoretic transform over Z_q[X]/(X^256 + 1) with ζ = 17 (FIPS 203 §4.3, Algorithms 9–12).
/// Twiddle factors are public constants indexed by loop counters only; coefficient arithmetic is
/// Montgomery/Barrett (constant time).
/// </summary>
internal static class Ntt
{
    /// <summary>Coefficients per polynomial.</summary>
    public const int N = 256;

    /// <summary>ζ^BitRev7(i)·R mod q, centred, for i = 0..127.</summary>
    internal static readonly short[] Zetas = ComputeZetas();

    /// <summary>mont^2/128: undoes the 1/128 scaling of the inverse transform and one Montgomery factor.</summary>
    internal const short InverseScale = 1441;

    private static short[] ComputeZetas()
    {
        var zetas = new short[128];
        for (int i = 0; i < 128; i++)
        {
            int exponent = 0;
            for (int bit = 0; bit < 7; bit++)
            {
                exponent |= ((i >> bit) & 1) << (6 - bit);
            }

            long value = 1;
            for (int e = 0; e < exponent; e++)
            {
                value = value * 17 % FieldArithmetic.Q;
            }

            value = (value << 16) % FieldArithmetic.Q;
            if (value > FieldArithmetic.Q / 2)
            {
                value -= FieldArithmetic.Q;
            }

            zetas[i] = (short)value;
        }

        return zetas;
    }

    /// <summary>
    /// In-place forward transform (Cooley–Tukey, bit-reversed output) followed by a Barrett reduction, so
    /// outputs lie in [−(q−1)/2, (q−1)/2]. Inputs must satisfy |a| &lt; q so that the seven layers cannot
    /// overflow 16 bits.
    /// </summary>
    public static void Forward(Span<short> poly)
    {
        if (NttAvx2.IsSupported)
        {
            NttAvx2.Forward(poly[..N]);
        }
        else
        {
            ForwardScalar(poly);
        }
    }

    /// <summary>Portable form of <see cref="Forward"/> (also the reference the vector path is tested against).</summary>
    internal static void ForwardScalar(Span<short> poly)
    {
        poly = poly[..N];
        short[] zetas = Zetas;
        int k = 1;
        for (int length = 128; length >= 2; length >>= 1)
        {
            for (int start = 0; start < N; start += 2 * length)
            {
                short zeta = zetas[k++];
                Span<short> low = poly.Slice(start, length);
                Span<short> high = poly.Slice(start + length, length);
                for (int j = 0; j < length; j++)
                {
                    short t = FieldArithmetic.MontgomeryMultiply(zeta, high[j]);
                    high[j] = (short)(low[j] - t);
                    low[j] = (short)(low[j] + t);
                }
            }
        }

        Reduce(poly);
    }

    /// <summary>
    /// In-place inverse transform (Gentleman–Sande) that also multiplies by R, cancelling the R^-1 left by
    /// <see cref="MultiplyAccumulate"/>. Outputs lie in (−q, q).
    /// </summary>
    public static void InverseToMontgomery(Span<short> poly)
    {
        if (NttAvx2.IsSupported)
        {
            NttAvx2.InverseToMontgomery(poly[..N]);
        }
        else
        {
            InverseToMontgomeryScalar(poly);
        }
    }

    /// <summary>Portable form of <see cref="InverseToMontgomery"/>.</summary>
    internal static void InverseToMontgomeryScalar(Span<short> poly)
    {
        poly = poly[..N];
        short[] zetas = Zetas;
        int k = 127;
        for (int length = 2; length <= 128; length <<= 1)
        {
            for (int start = 0; start < N; start += 2 * length)
            {
                short zeta = zetas[k--];
                Span<short> low = poly.Slice(start, length);
                Span<short> high = poly.Slice(start + length, length);
                for (int j = 0; j < length; j++)
                {
                    short t = low[j];
                    low[j] = FieldArithmetic.BarrettReduce((short)(t + high[j]));
                    high[j] = FieldArithmetic.MontgomeryMultiply(zeta, (short)(high[j] - t));
                }
            }
        }

        for (int j = 0; j < N; j++)
        {
            poly[j] = FieldArithmetic.MontgomeryMultiply(poly[j], InverseScale);
        }
    }

    /// <summary>
    /// result = Σ_i a[i] ∘ b[i] in the NTT domain (FIPS 203 Algorithm 11 per term) times R^-1, Barrett-reduced.
    /// <paramref name="a"/> and <paramref name="b"/> hold <paramref name="count"/> ≤ 4 consecutive polynomials;
    /// one operand of every product must be at most 4095 in magnitude (a 12-bit decoded or sampled value) and the
    /// other at most (q−1)/2 (a reduced NTT output).
    /// </summary>
    /// <remarks>
    /// Products are summed in 32 bits and Montgomery-reduced once per output coefficient ("lazy reduction"):
    /// with the bounds above every sum stays below q·2^15, the input range of <see cref="FieldArithmetic.MontgomeryReduce"/>.
    /// </remarks>
    public static void MultiplyAccumulate(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int count, Span<short> result)
    {
        if (Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            MultiplyAccumulateVector(a, b, count, result);
        }
        else
        {
            MultiplyAccumulateScalar(a, b, count, result);
        }
    }

    /// <summary>Portable form of <see cref="MultiplyAccumulate"/>.</summary>
    internal static void MultiplyAccumulateScalar(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int count, Span<short> result)
    {
        result = result[..N];
        a = a[..(count * N)];
        b = b[..(count * N)];
        short[] zetas = Zetas;
        for (int i = 0; i < N / 4; i++)
        {
            int zeta = zetas[64 + i];
            int r0 = 0, r1 = 0, r2 = 0, r3 = 0;
            for (int offset = 4 * i; offset < a.Length; offset += N)
            {
                int x0 = a[offset], x1 = a[offset + 1], x2 = a[offset + 2], x3 = a[offset + 3];
                int y0 = b[offset], y1 = b[offset + 1], y2 = b[offset + 2], y3 = b[offset + 3];
                r0 += (FieldArithmetic.MontgomeryReduce(x1 * y1) * zeta) + (x0 * y0);
                r1 += (x0 * y1) + (x1 * y0);
                r2 += (FieldArithmetic.MontgomeryReduce(x3 * y3) * -zeta) + (x2 * y2);
                r3 += (x2 * y3) + (x3 * y2);
            }

            result[4 * i] = FieldArithmetic.BarrettReduce(FieldArithmetic.MontgomeryReduce(r0));
            result[(4 * i) + 1] = FieldArithmetic.BarrettReduce(FieldArithmetic.MontgomeryReduce(r1));
            result[(4 * i) + 2] = FieldArithmetic.BarrettReduce(FieldArithmetic.MontgomeryReduce(r2));
            result[(4 * i) + 3] = FieldArithmetic.BarrettReduce(FieldArithmetic.MontgomeryReduce(r3));
        }
    }

    /// <summary>
    /// <see cref="MultiplyAccumulate"/> on 256-bit vectors: each 32-bit lane holds one coefficient pair
    /// (low half = even coefficient), so the pairwise base-case products need no shuffles.
    /// </summary>
    internal static void MultiplyAccumulateVector(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int count, Span<short> result)
    {
        ReadOnlySpan<int> pairsA = MemoryMarshal.Cast<short, int>(a[..(count * N)]);
        ReadOnlySpan<int> pairsB = MemoryMarshal.Cast<short, int>(b[..(count * N)]);
        Span<int> output = MemoryMarshal.Cast<short, int>(result[..N]);
        ReadOnlySpan<int> zetas = PairZetas;
        for (int i = 0; i < N / 2; i += Vector256<int>.Count)
        {
            Vector256<int> zeta = Vector256.Create(zetas.Slice(i, Vector256<int>.Count));
            Vector256<int> even = Vector256<int>.Zero, odd = Vector256<int>.Zero;
            for (int offset = i; offset < pairsA.Length; offset += N / 2)
            {
                Vector256<int> x = Vector256.Create(pairsA.Slice(offset, Vector256<int>.Count));
                Vector256<int> y = Vector256.Create(pairsB.Slice(offset, Vector256<int>.Count));
                Vector256<int> x0 = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(x, 16), 16);
                Vector256<int> x1 = Vector256.ShiftRightArithmetic(x, 16);
                Vector256<int> y0 = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(y, 16), 16);
                Vector256<int> y1 = Vector256.ShiftRightArithmetic(y, 16);
                even += (MontgomeryReduce(x1 * y1) * zeta) + (x0 * y0);
                odd += (x0 * y1) + (x1 * y0);
            }

            Vector256<int> r0 = BarrettReduce(MontgomeryReduce(even));
            Vector256<int> r1 = BarrettReduce(MontgomeryReduce(odd));
            (Vector256.ShiftLeft(r1, 16) | (r0 & Vector256.Create(0xFFFF))).CopyTo(output.Slice(i, Vector256<int>.Count));
        }
    }

    /// <summary>γ for every coefficient pair: pair 2i uses ζ^(2BitRev7(i)+1) = zetas[64 + i], pair 2i+1 its negation.</summary>
    private static readonly int[] PairZetas = ComputePairZetas();

    private static int[] ComputePairZetas()
    {
        var pairZetas = new int[N / 2];
        for (int pair = 0; pair < N / 2; pair++)
        {
            pairZetas[pair] = (pair & 1) == 0 ? Zetas[64 + (pair / 2)] : -Zetas[64 + (pair / 2)];
        }

        return pairZetas;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MontgomeryReduce(Vector256<int> value)
    {
        // t = sign-extended low 16 bits of value·q^-1; (value − t·q) is divisible by 2^16.
        Vector256<int> t = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(value * Vector256.Create(-3327), 16), 16);
        return Vector256.ShiftRightArithmetic(value - (t * Vector256.Create(FieldArithmetic.Q)), 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> BarrettReduce(Vector256<int> value)
    {
        Vector256<int> t = Vector256.ShiftRightArithmetic((value * Vector256.Create(20159)) + Vector256.Create(1 << 25), 26);
        return value - (t * Vector256.Create(FieldArithmetic.Q));
    }

    /// <summary>Barrett-reduces every coefficient to [−(q−1)/2, (q−1)/2].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Reduce(Span<short> poly)
    {
        for (int j = 0; j < poly.Length; j++)
        {
            poly[j] = FieldArithmetic.BarrettReduce(poly[j]);
        }
    }
}
