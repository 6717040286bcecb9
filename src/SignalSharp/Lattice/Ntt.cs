using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    private static readonly short[] Zetas = ComputeZetas();

    /// <summary>mont^2/128: undoes the 1/128 scaling of the inverse transform and one Montgomery factor.</summary>
    private const short InverseScale = 1441;

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
                int j = 0;
                if (Avx2.IsSupported && length >= Vector256<short>.Count)
                {
                    var z = Vector256.Create(zeta);
                    for (; j < length; j += Vector256<short>.Count)
                    {
                        var h = Vector256.Create<short>(high[j..]);
                        var l = Vector256.Create<short>(low[j..]);
                        var t = MontgomeryMultiply(z, h);
                        (l - t).CopyTo(high[j..]);
                        (l + t).CopyTo(low[j..]);
                    }
                }

                for (; j < length; j++)
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
                int j = 0;
                if (Avx2.IsSupported && length >= Vector256<short>.Count)
                {
                    var z = Vector256.Create(zeta);
                    for (; j < length; j += Vector256<short>.Count)
                    {
                        var l = Vector256.Create<short>(low[j..]);
                        var h = Vector256.Create<short>(high[j..]);
                        BarrettReduce(l + h).CopyTo(low[j..]);
                        MontgomeryMultiply(z, h - l).CopyTo(high[j..]);
                    }
                }

                for (; j < length; j++)
                {
                    short t = low[j];
                    low[j] = FieldArithmetic.BarrettReduce((short)(t + high[j]));
                    high[j] = FieldArithmetic.MontgomeryMultiply(zeta, (short)(high[j] - t));
                }
            }
        }

        int i = 0;
        if (Avx2.IsSupported)
        {
            var scale = Vector256.Create(InverseScale);
            for (; i < N; i += Vector256<short>.Count)
            {
                MontgomeryMultiply(Vector256.Create<short>(poly[i..]), scale).CopyTo(poly[i..]);
            }
        }

        for (; i < N; i++)
        {
            poly[i] = FieldArithmetic.MontgomeryMultiply(poly[i], InverseScale);
        }
    }

    /// <summary>
    /// result = Σ_i a[i] ∘ b[i] in the NTT domain (FIPS 203 Algorithm 11 per term), each product carrying a
    /// factor R^-1, followed by a Barrett reduction. <paramref name="a"/> and <paramref name="b"/> hold
    /// <paramref name="count"/> consecutive polynomials.
    /// </summary>
    public static void MultiplyAccumulate(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int count, Span<short> result)
    {
        result = result[..N];
        short[] zetas = Zetas;
        if (Avx2.IsSupported)
        {
            MultiplyAccumulateVector(a, b, count, result);
            return;
        }

        for (int i = 0; i < N / 4; i++)
        {
            short zeta = zetas[64 + i];
            int r0 = 0, r1 = 0, r2 = 0, r3 = 0;
            for (int p = 0; p < count; p++)
            {
                int offset = (p * N) + (4 * i);
                ReadOnlySpan<short> x = a.Slice(offset, 4);
                ReadOnlySpan<short> y = b.Slice(offset, 4);
                r0 += FieldArithmetic.MontgomeryMultiply(FieldArithmetic.MontgomeryMultiply(x[1], y[1]), zeta)
                    + FieldArithmetic.MontgomeryMultiply(x[0], y[0]);
                r1 += FieldArithmetic.MontgomeryMultiply(x[0], y[1]) + FieldArithmetic.MontgomeryMultiply(x[1], y[0]);
                r2 += FieldArithmetic.MontgomeryMultiply(FieldArithmetic.MontgomeryMultiply(x[3], y[3]), (short)-zeta)
                    + FieldArithmetic.MontgomeryMultiply(x[2], y[2]);
                r3 += FieldArithmetic.MontgomeryMultiply(x[2], y[3]) + FieldArithmetic.MontgomeryMultiply(x[3], y[2]);
            }

            result[4 * i] = FieldArithmetic.BarrettReduce((short)r0);
            result[(4 * i) + 1] = FieldArithmetic.BarrettReduce((short)r1);
            result[(4 * i) + 2] = FieldArithmetic.BarrettReduce((short)r2);
            result[(4 * i) + 3] = FieldArithmetic.BarrettReduce((short)r3);
        }
    }

    /// <summary>Barrett-reduces every coefficient to [−(q−1)/2, (q−1)/2].</summary>
    /// <summary>
    /// <see cref="MultiplyAccumulate"/> on sixteen coefficients (four degree-1 pairs of pairs) at a time, with the
    /// same wrapping 16-bit sums before the final reduction: per pair, the even lane gets x₀y₀ + (x₁y₁)ζ and the
    /// odd lane x₀y₁ + x₁y₀, built from lane-wise products and a swap of neighbouring lanes.
    /// </summary>
    private static void MultiplyAccumulateVector(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int count, Span<short> result)
    {
        short[] zetaLanes = ZetaLanes;
        var odd = Vector256.Create(0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1).AsInt16();
        for (int i = 0; i < N; i += Vector256<short>.Count)
        {
            var zeta = Vector256.Create<short>(zetaLanes.AsSpan(i));
            var sum = Vector256<short>.Zero;
            for (int p = 0; p < count; p++)
            {
                int offset = (p * N) + i;
                var x = Vector256.Create<short>(a.Slice(offset, Vector256<short>.Count));
                var y = Vector256.Create<short>(b.Slice(offset, Vector256<short>.Count));
                var same = MontgomeryMultiply(x, y);
                var cross = MontgomeryMultiply(x, SwapPairs(y));
                var twisted = SwapPairs(MontgomeryMultiply(same, zeta));
                sum += Vector256.ConditionalSelect(odd, cross + SwapPairs(cross), same + twisted);
            }

            BarrettReduce(sum).CopyTo(result[i..]);
        }
    }

    // ζ for lane 4i+1 and −ζ for lane 4i+3 (the odd lane of each pair), zero elsewhere.
    private static readonly short[] ZetaLanes = ComputeZetaLanes();

    private static short[] ComputeZetaLanes()
    {
        var lanes = new short[N];
        for (int i = 0; i < N / 4; i++)
        {
            lanes[(4 * i) + 1] = Zetas[64 + i];
            lanes[(4 * i) + 3] = (short)-Zetas[64 + i];
        }

        return lanes;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> SwapPairs(Vector256<short> v)
    {
        var words = v.AsUInt32();
        return (Vector256.ShiftLeft(words, 16) | Vector256.ShiftRightLogical(words, 16)).AsInt16();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Reduce(Span<short> poly)
    {
        int j = 0;
        if (Avx2.IsSupported)
        {
            for (; j + Vector256<short>.Count <= poly.Length; j += Vector256<short>.Count)
            {
                BarrettReduce(Vector256.Create<short>(poly[j..])).CopyTo(poly[j..]);
            }
        }

        for (; j < poly.Length; j++)
        {
            poly[j] = FieldArithmetic.BarrettReduce(poly[j]);
        }
    }

    // Sixteen lanes of FieldArithmetic.MontgomeryMultiply / BarrettReduce with the same integer results:
    // (a·b − t·q) >> 16 equals high(a·b) − high(t·q) because both products have the same low half, and
    // ((a·v) + 2^25) >> 26 equals (high(a·v) + 2^9) >> 10 (nested floor division).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> MontgomeryMultiply(Vector256<short> a, Vector256<short> b)
    {
        var t = Avx2.MultiplyLow(Avx2.MultiplyLow(a, b), Vector256.Create(unchecked((short)FieldArithmetic.QInverse)));
        return Avx2.MultiplyHigh(a, b) - Avx2.MultiplyHigh(t, Vector256.Create((short)FieldArithmetic.Q));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> BarrettReduce(Vector256<short> a)
    {
        var t = Vector256.ShiftRightArithmetic(Avx2.MultiplyHigh(a, Vector256.Create((short)FieldArithmetic.BarrettMultiplier)) + Vector256.Create((short)512), 10);
        return a - Avx2.MultiplyLow(t, Vector256.Create((short)FieldArithmetic.Q));
    }
}
