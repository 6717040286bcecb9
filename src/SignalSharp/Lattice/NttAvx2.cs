using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.Lattice;

/// <summary>
/// AVX2 form of <see cref="Ntt.Forward"/> and <see cref="Ntt.InverseToMontgomery"/>: the same butterflies and
/// reductions as the scalar code (so the outputs are identical), 16 coefficients at a time. Layers with a
/// distance of 16 or more work on whole vectors; the last three (8, 4, 2) regroup two vectors with lane
/// permutes and unpacks so that every butterfly again pairs element i of one register with element i of another.
/// </summary>
internal static class NttAvx2
{
    private const int N = Ntt.N;

    /// <summary>q^-1 mod 2^16 as a signed 16-bit value.</summary>
    private const short QInverse = -3327;

    /// <summary>Whether the running processor can take this path.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>For forward layers 8/4/2: per 32-coefficient chunk, zeta and zeta·q^-1 vectors in register order.</summary>
    private static readonly short[] ForwardTail = BuildTail(forward: true);

    /// <summary>The same for the inverse transform's first three layers (2/4/8).</summary>
    private static readonly short[] InverseTail = BuildTail(forward: false);

    // Per chunk c (coefficients 32c..32c+31) the tail tables hold 3 layers × (zeta vector, zeta·q^-1 vector),
    // 16 shorts each, in this order: layer len=8, len=4, len=2 (forward) or len=2, len=4, len=8 (inverse).
    private const int TailStride = 3 * 2 * 16;

    private static short[] BuildTail(bool forward)
    {
        short[] zetas = Ntt.Zetas;
        var table = new short[(N / 32) * TailStride];
        for (int chunk = 0; chunk < N / 32; chunk++)
        {
            // Register order of the butterfly groups for each layer (see Forward for the shuffles).
            int[] groups8 = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
            int[] groups4 = [0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 1, 1, 3, 3, 3, 3];
            int[] groups2 = [0, 0, 1, 1, 4, 4, 5, 5, 2, 2, 3, 3, 6, 6, 7, 7];
            (int[] Groups, int PerChunk, int Base)[] layers = forward
                ? [(groups8, 2, 16), (groups4, 4, 32), (groups2, 8, 64)]
                : [(groups2, 8, 127), (groups4, 4, 63), (groups8, 2, 31)];
            for (int layer = 0; layer < 3; layer++)
            {
                var (groups, perChunk, baseIndex) = layers[layer];
                for (int lane = 0; lane < 16; lane++)
                {
                    int block = (chunk * perChunk) + groups[lane];
                    short zeta = zetas[forward ? baseIndex + block : baseIndex - block];
                    int at = (chunk * TailStride) + (layer * 32) + lane;
                    table[at] = zeta;
                    table[at + 16] = (short)(zeta * QInverse);
                }
            }
        }

        return table;
    }

    /// <summary>Forward transform plus Barrett reduction (see <see cref="Ntt.Forward"/>).</summary>
    public static void Forward(Span<short> poly)
    {
        ref short p = ref MemoryMarshal.GetReference(poly[..N]);
        short[] zetas = Ntt.Zetas;
        int k = 1;
        for (int length = 128; length >= 16; length >>= 1)
        {
            for (int start = 0; start < N; start += 2 * length)
            {
                Vector256<short> zeta = Vector256.Create(zetas[k]);
                Vector256<short> zetaQinv = Vector256.Create((short)(zetas[k] * QInverse));
                k++;
                for (int j = start; j < start + length; j += 16)
                {
                    Vector256<short> low = Load(ref p, j);
                    Vector256<short> t = MontgomeryMultiply(Load(ref p, j + length), zeta, zetaQinv);
                    Store(ref p, j + length, Avx2.Subtract(low, t));
                    Store(ref p, j, Avx2.Add(low, t));
                }
            }
        }

        ref short tail = ref MemoryMarshal.GetArrayDataReference(ForwardTail);
        for (int chunk = 0; chunk < N / 32; chunk++)
        {
            ref short z = ref Unsafe.Add(ref tail, chunk * TailStride);
            Vector256<short> a = Load(ref p, 32 * chunk);
            Vector256<short> b = Load(ref p, (32 * chunk) + 16);

            // len 8: low halves of both registers against their high halves.
            Vector256<short> lo = Avx2.Permute2x128(a, b, 0x20);
            Vector256<short> hi = Avx2.Permute2x128(a, b, 0x31);
            Butterfly(ref lo, ref hi, Load(ref z, 0), Load(ref z, 16));
            a = Avx2.Permute2x128(lo, hi, 0x20);
            b = Avx2.Permute2x128(lo, hi, 0x31);

            // len 4: 64-bit unpacks pair groups (0,2 | 1,3) of four coefficients.
            lo = Avx2.UnpackLow(a.AsInt64(), b.AsInt64()).AsInt16();
            hi = Avx2.UnpackHigh(a.AsInt64(), b.AsInt64()).AsInt16();
            Butterfly(ref lo, ref hi, Load(ref z, 32), Load(ref z, 48));
            a = Avx2.UnpackLow(lo.AsInt64(), hi.AsInt64()).AsInt16();
            b = Avx2.UnpackHigh(lo.AsInt64(), hi.AsInt64()).AsInt16();

            // len 2: reorder 32-bit pairs (0,2,1,3) inside each lane, then unpack as for len 4.
            a = Avx2.Shuffle(a.AsInt32(), 0xD8).AsInt16();
            b = Avx2.Shuffle(b.AsInt32(), 0xD8).AsInt16();
            lo = Avx2.UnpackLow(a.AsInt64(), b.AsInt64()).AsInt16();
            hi = Avx2.UnpackHigh(a.AsInt64(), b.AsInt64()).AsInt16();
            Butterfly(ref lo, ref hi, Load(ref z, 64), Load(ref z, 80));
            a = Avx2.Shuffle(Avx2.UnpackLow(lo.AsInt64(), hi.AsInt64()).AsInt32(), 0xD8).AsInt16();
            b = Avx2.Shuffle(Avx2.UnpackHigh(lo.AsInt64(), hi.AsInt64()).AsInt32(), 0xD8).AsInt16();

            Store(ref p, 32 * chunk, BarrettReduce(a));
            Store(ref p, (32 * chunk) + 16, BarrettReduce(b));
        }
    }

    /// <summary>Inverse transform times R (see <see cref="Ntt.InverseToMontgomery"/>).</summary>
    public static void InverseToMontgomery(Span<short> poly)
    {
        ref short p = ref MemoryMarshal.GetReference(poly[..N]);
        ref short tail = ref MemoryMarshal.GetArrayDataReference(InverseTail);
        for (int chunk = 0; chunk < N / 32; chunk++)
        {
            ref short z = ref Unsafe.Add(ref tail, chunk * TailStride);
            Vector256<short> a = Load(ref p, 32 * chunk);
            Vector256<short> b = Load(ref p, (32 * chunk) + 16);

            a = Avx2.Shuffle(a.AsInt32(), 0xD8).AsInt16();
            b = Avx2.Shuffle(b.AsInt32(), 0xD8).AsInt16();
            Vector256<short> lo = Avx2.UnpackLow(a.AsInt64(), b.AsInt64()).AsInt16();
            Vector256<short> hi = Avx2.UnpackHigh(a.AsInt64(), b.AsInt64()).AsInt16();
            InverseButterfly(ref lo, ref hi, Load(ref z, 0), Load(ref z, 16));
            a = Avx2.Shuffle(Avx2.UnpackLow(lo.AsInt64(), hi.AsInt64()).AsInt32(), 0xD8).AsInt16();
            b = Avx2.Shuffle(Avx2.UnpackHigh(lo.AsInt64(), hi.AsInt64()).AsInt32(), 0xD8).AsInt16();

            lo = Avx2.UnpackLow(a.AsInt64(), b.AsInt64()).AsInt16();
            hi = Avx2.UnpackHigh(a.AsInt64(), b.AsInt64()).AsInt16();
            InverseButterfly(ref lo, ref hi, Load(ref z, 32), Load(ref z, 48));
            a = Avx2.UnpackLow(lo.AsInt64(), hi.AsInt64()).AsInt16();
            b = Avx2.UnpackHigh(lo.AsInt64(), hi.AsInt64()).AsInt16();

            lo = Avx2.Permute2x128(a, b, 0x20);
            hi = Avx2.Permute2x128(a, b, 0x31);
            InverseButterfly(ref lo, ref hi, Load(ref z, 64), Load(ref z, 80));
            Store(ref p, 32 * chunk, Avx2.Permute2x128(lo, hi, 0x20));
            Store(ref p, (32 * chunk) + 16, Avx2.Permute2x128(lo, hi, 0x31));
        }

        short[] zetas = Ntt.Zetas;
        int k = 15;
        for (int length = 16; length <= 128; length <<= 1)
        {
            for (int start = 0; start < N; start += 2 * length)
            {
                Vector256<short> zeta = Vector256.Create(zetas[k]);
                Vector256<short> zetaQinv = Vector256.Create((short)(zetas[k] * QInverse));
                k--;
                for (int j = start; j < start + length; j += 16)
                {
                    Vector256<short> low = Load(ref p, j);
                    Vector256<short> high = Load(ref p, j + length);
                    InverseButterfly(ref low, ref high, zeta, zetaQinv);
                    Store(ref p, j, low);
                    Store(ref p, j + length, high);
                }
            }
        }

        Vector256<short> scale = Vector256.Create(Ntt.InverseScale);
        Vector256<short> scaleQinv = Vector256.Create(unchecked((short)(Ntt.InverseScale * QInverse)));
        for (int j = 0; j < N; j += 16)
        {
            Store(ref p, j, MontgomeryMultiply(Load(ref p, j), scale, scaleQinv));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(ref Vector256<short> low, ref Vector256<short> high, Vector256<short> zeta, Vector256<short> zetaQinv)
    {
        Vector256<short> t = MontgomeryMultiply(high, zeta, zetaQinv);
        high = Avx2.Subtract(low, t);
        low = Avx2.Add(low, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InverseButterfly(ref Vector256<short> low, ref Vector256<short> high, Vector256<short> zeta, Vector256<short> zetaQinv)
    {
        Vector256<short> t = low;
        low = BarrettReduce(Avx2.Add(t, high));
        high = MontgomeryMultiply(Avx2.Subtract(high, t), zeta, zetaQinv);
    }

    /// <summary>a·b·R^-1 for a constant b given with b·q^-1 mod 2^16: hi(a·b) − hi(lo(a·b·q^-1)·q), exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> MontgomeryMultiply(Vector256<short> a, Vector256<short> b, Vector256<short> bQinv)
    {
        Vector256<short> high = Avx2.MultiplyHigh(a, b);
        Vector256<short> t = Avx2.MultiplyLow(a, bQinv);
        return Avx2.Subtract(high, Avx2.MultiplyHigh(t, Vector256.Create((short)FieldArithmetic.Q)));
    }

    /// <summary>a − q·⌊(a·20159 + 2^25) / 2^26⌋, computed as ((hi(a·20159) + 2^9) >> 10): identical to the scalar form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> BarrettReduce(Vector256<short> a)
    {
        Vector256<short> t = Avx2.MultiplyHigh(a, Vector256.Create((short)20159));
        t = Avx2.ShiftRightArithmetic(Avx2.Add(t, Vector256.Create((short)512)), 10);
        return Avx2.Subtract(a, Avx2.MultiplyLow(t, Vector256.Create((short)FieldArithmetic.Q)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Load(ref short source, int offset) =>
        Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref short destination, int offset, Vector256<short> value) =>
        value.StoreUnsafe(ref destination, (nuint)offset);
}
