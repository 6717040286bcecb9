using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.Curves;

/// <summary>
/// Four elements of GF(2^255 − 19) processed in parallel with AVX2: lane k of every limb vector belongs to
/// element k. Radix 2^25.5 (ten limbs of alternately 26 and 25 bits, each in a 64-bit lane) so products fit
/// VPMULUDQ's 32×32→64-bit multiply. Used for the variable-time verification path only (public data).
/// </summary>
/// <remarks>
/// Bounds (all checked by hand; the point formulas stay inside them): <see cref="Mul"/>, <see cref="Square"/>
/// and <see cref="Reduce"/> (for inputs below 2^31) return limbs below 2^26 + 2^17. The second operand of
/// <see cref="Mul"/> must be such a reduced value, because it is multiplied by 19 and must fit VPMULUDQ's 32-bit
/// inputs; the first operand may be unreduced up to 2^29.2 (one <see cref="Sub"/> of a <see cref="Sub"/>),
/// which keeps every sum of ten 64-bit products below 2^63. <see cref="Square"/> accepts limbs below 2^27.1
/// (a sum of two reduced values).
/// </remarks>
[SkipLocalsInit] // Hot arithmetic: every local and stackalloc is written before it is read.
internal readonly struct FieldElement4
{
    private const ulong Mask26 = (1UL << 26) - 1;
    private const ulong Mask25 = (1UL << 25) - 1;

    internal readonly Vector256<ulong> L0, L1, L2, L3, L4, L5, L6, L7, L8, L9;

    internal FieldElement4(
        Vector256<ulong> l0, Vector256<ulong> l1, Vector256<ulong> l2, Vector256<ulong> l3, Vector256<ulong> l4,
        Vector256<ulong> l5, Vector256<ulong> l6, Vector256<ulong> l7, Vector256<ulong> l8, Vector256<ulong> l9)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4; L5 = l5; L6 = l6; L7 = l7; L8 = l8; L9 = l9;
    }

    internal static bool IsSupported => Avx2.IsSupported;

    /// <summary>Packs four scalar elements (lane 0 = a, … lane 3 = d).</summary>
    internal static FieldElement4 Create(in FieldElement a, in FieldElement b, in FieldElement c, in FieldElement d)
    {
        Span<ulong> la = stackalloc ulong[10];
        Span<ulong> lb = stackalloc ulong[10];
        Span<ulong> lc = stackalloc ulong[10];
        Span<ulong> ld = stackalloc ulong[10];
        Split(a, la);
        Split(b, lb);
        Split(c, lc);
        Split(d, ld);
        return new FieldElement4(
            Vector256.Create(la[0], lb[0], lc[0], ld[0]), Vector256.Create(la[1], lb[1], lc[1], ld[1]),
            Vector256.Create(la[2], lb[2], lc[2], ld[2]), Vector256.Create(la[3], lb[3], lc[3], ld[3]),
            Vector256.Create(la[4], lb[4], lc[4], ld[4]), Vector256.Create(la[5], lb[5], lc[5], ld[5]),
            Vector256.Create(la[6], lb[6], lc[6], ld[6]), Vector256.Create(la[7], lb[7], lc[7], ld[7]),
            Vector256.Create(la[8], lb[8], lc[8], ld[8]), Vector256.Create(la[9], lb[9], lc[9], ld[9]));
    }

    private static void Split(in FieldElement f, Span<ulong> limbs)
    {
        // Full carry so every radix-2^51 limb is below 2^51 + 1, then split each into 26 + 25 bits.
        const ulong mask51 = (1UL << 51) - 1;
        ulong l0 = f.L0, l1 = f.L1, l2 = f.L2, l3 = f.L3, l4 = f.L4;
        l1 += l0 >> 51; l0 &= mask51;
        l2 += l1 >> 51; l1 &= mask51;
        l3 += l2 >> 51; l2 &= mask51;
        l4 += l3 >> 51; l3 &= mask51;
        l0 += (l4 >> 51) * 19; l4 &= mask51;
        l1 += l0 >> 51; l0 &= mask51;
        limbs[0] = l0 & Mask26; limbs[1] = l0 >> 26;
        limbs[2] = l1 & Mask26; limbs[3] = l1 >> 26;
        limbs[4] = l2 & Mask26; limbs[5] = l2 >> 26;
        limbs[6] = l3 & Mask26; limbs[7] = l3 >> 26;
        limbs[8] = l4 & Mask26; limbs[9] = l4 >> 26;
    }

    /// <summary>Unpacks lane <paramref name="lane"/> into a scalar element.</summary>
    internal FieldElement GetLane(int lane)
    {
        FieldElement4 r = Reduce(this);
        ulong Limb(Vector256<ulong> v) => v.GetElement(lane);
        return FieldElement.Mul(
            new FieldElement(
                Limb(r.L0) + (Limb(r.L1) << 26),
                Limb(r.L2) + (Limb(r.L3) << 26),
                Limb(r.L4) + (Limb(r.L5) << 26),
                Limb(r.L6) + (Limb(r.L7) << 26),
                Limb(r.L8) + (Limb(r.L9) << 26)),
            FieldElement.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Add(in FieldElement4 a, in FieldElement4 b)
        => new(a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4,
               a.L5 + b.L5, a.L6 + b.L6, a.L7 + b.L7, a.L8 + b.L8, a.L9 + b.L9);

    /// <summary>a + 4p − b (b's limbs must be below 2^27), not reduced.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Sub(in FieldElement4 a, in FieldElement4 b)
    {
        // 4p in radix 2^25.5: limb 0 = 4·(2^26 − 19), even limbs 4·(2^26 − 1), odd limbs 4·(2^25 − 1).
        Vector256<ulong> p0 = Vector256.Create(4 * ((1UL << 26) - 19));
        Vector256<ulong> pe = Vector256.Create(4 * ((1UL << 26) - 1));
        Vector256<ulong> po = Vector256.Create(4 * ((1UL << 25) - 1));
        return new(a.L0 + p0 - b.L0, a.L1 + po - b.L1, a.L2 + pe - b.L2, a.L3 + po - b.L3, a.L4 + pe - b.L4,
                   a.L5 + po - b.L5, a.L6 + pe - b.L6, a.L7 + po - b.L7, a.L8 + pe - b.L8, a.L9 + po - b.L9);
    }

    /// <summary>One parallel carry round: limbs below 2^31 become limbs below 2^26 + 2^10.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Reduce(in FieldElement4 a)
    {
        Vector256<ulong> m26 = Vector256.Create(Mask26);
        Vector256<ulong> m25 = Vector256.Create(Mask25);
        Vector256<ulong> c9 = a.L9 >>> 25;
        return new(
            (a.L0 & m26) + Times19(c9),
            (a.L1 & m25) + (a.L0 >>> 26),
            (a.L2 & m26) + (a.L1 >>> 25),
            (a.L3 & m25) + (a.L2 >>> 26),
            (a.L4 & m26) + (a.L3 >>> 25),
            (a.L5 & m25) + (a.L4 >>> 26),
            (a.L6 & m26) + (a.L5 >>> 25),
            (a.L7 & m25) + (a.L6 >>> 26),
            (a.L8 & m26) + (a.L7 >>> 25),
            (a.L9 & m25) + (a.L8 >>> 26));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Times19(Vector256<ulong> x) => (x << 4) + (x << 1) + x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> M(Vector256<ulong> x, Vector256<ulong> y) => Avx2.Multiply(x.AsUInt32(), y.AsUInt32());

    /// <summary>Lane-wise product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Mul(in FieldElement4 f, in FieldElement4 g)
    {
        Vector256<ulong> f0 = f.L0, f1 = f.L1, f2 = f.L2, f3 = f.L3, f4 = f.L4, f5 = f.L5, f6 = f.L6, f7 = f.L7, f8 = f.L8, f9 = f.L9;
        Vector256<ulong> f1x2 = f1 + f1, f3x2 = f3 + f3, f5x2 = f5 + f5, f7x2 = f7 + f7, f9x2 = f9 + f9;
        Vector256<ulong> g0 = g.L0, g1 = g.L1, g2 = g.L2, g3 = g.L3, g4 = g.L4, g5 = g.L5, g6 = g.L6, g7 = g.L7, g8 = g.L8, g9 = g.L9;
        Vector256<ulong> g1x19 = Times19(g1), g2x19 = Times19(g2), g3x19 = Times19(g3), g4x19 = Times19(g4), g5x19 = Times19(g5);
        Vector256<ulong> g6x19 = Times19(g6), g7x19 = Times19(g7), g8x19 = Times19(g8), g9x19 = Times19(g9);

        Vector256<ulong> h0 = M(f0, g0) + M(f1x2, g9x19) + M(f2, g8x19) + M(f3x2, g7x19) + M(f4, g6x19) + M(f5x2, g5x19) + M(f6, g4x19) + M(f7x2, g3x19) + M(f8, g2x19) + M(f9x2, g1x19);
        Vector256<ulong> h1 = M(f0, g1) + M(f1, g0) + M(f2, g9x19) + M(f3, g8x19) + M(f4, g7x19) + M(f5, g6x19) + M(f6, g5x19) + M(f7, g4x19) + M(f8, g3x19) + M(f9, g2x19);
        Vector256<ulong> h2 = M(f0, g2) + M(f1x2, g1) + M(f2, g0) + M(f3x2, g9x19) + M(f4, g8x19) + M(f5x2, g7x19) + M(f6, g6x19) + M(f7x2, g5x19) + M(f8, g4x19) + M(f9x2, g3x19);
        Vector256<ulong> h3 = M(f0, g3) + M(f1, g2) + M(f2, g1) + M(f3, g0) + M(f4, g9x19) + M(f5, g8x19) + M(f6, g7x19) + M(f7, g6x19) + M(f8, g5x19) + M(f9, g4x19);
        Vector256<ulong> h4 = M(f0, g4) + M(f1x2, g3) + M(f2, g2) + M(f3x2, g1) + M(f4, g0) + M(f5x2, g9x19) + M(f6, g8x19) + M(f7x2, g7x19) + M(f8, g6x19) + M(f9x2, g5x19);
        Vector256<ulong> h5 = M(f0, g5) + M(f1, g4) + M(f2, g3) + M(f3, g2) + M(f4, g1) + M(f5, g0) + M(f6, g9x19) + M(f7, g8x19) + M(f8, g7x19) + M(f9, g6x19);
        Vector256<ulong> h6 = M(f0, g6) + M(f1x2, g5) + M(f2, g4) + M(f3x2, g3) + M(f4, g2) + M(f5x2, g1) + M(f6, g0) + M(f7x2, g9x19) + M(f8, g8x19) + M(f9x2, g7x19);
        Vector256<ulong> h7 = M(f0, g7) + M(f1, g6) + M(f2, g5) + M(f3, g4) + M(f4, g3) + M(f5, g2) + M(f6, g1) + M(f7, g0) + M(f8, g9x19) + M(f9, g8x19);
        Vector256<ulong> h8 = M(f0, g8) + M(f1x2, g7) + M(f2, g6) + M(f3x2, g5) + M(f4, g4) + M(f5x2, g3) + M(f6, g2) + M(f7x2, g1) + M(f8, g0) + M(f9x2, g9x19);
        Vector256<ulong> h9 = M(f0, g9) + M(f1, g8) + M(f2, g7) + M(f3, g6) + M(f4, g5) + M(f5, g4) + M(f6, g3) + M(f7, g2) + M(f8, g1) + M(f9, g0);

        return CarryProduct(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement4 CarryProduct(
        Vector256<ulong> h0, Vector256<ulong> h1, Vector256<ulong> h2, Vector256<ulong> h3, Vector256<ulong> h4,
        Vector256<ulong> h5, Vector256<ulong> h6, Vector256<ulong> h7, Vector256<ulong> h8, Vector256<ulong> h9)
    {
        // Carry chain (two interleaved chains as in ref10); every h_k is below 2^63.
        Vector256<ulong> m26 = Vector256.Create(Mask26);
        Vector256<ulong> m25 = Vector256.Create(Mask25);
        h1 += h0 >>> 26; h0 &= m26;
        h5 += h4 >>> 26; h4 &= m26;
        h2 += h1 >>> 25; h1 &= m25;
        h6 += h5 >>> 25; h5 &= m25;
        h3 += h2 >>> 26; h2 &= m26;
        h7 += h6 >>> 26; h6 &= m26;
        h4 += h3 >>> 25; h3 &= m25;
        h8 += h7 >>> 25; h7 &= m25;
        h5 += h4 >>> 26; h4 &= m26;
        h9 += h8 >>> 26; h8 &= m26;
        h0 += Times19(h9 >>> 25); h9 &= m25;
        h1 += h0 >>> 26; h0 &= m26;
        return new FieldElement4(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    /// <summary>Lane-wise square (about half the multiplications of <see cref="Mul"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Square(in FieldElement4 f)
    {
        Vector256<ulong> f0 = f.L0, f1 = f.L1, f2 = f.L2, f3 = f.L3, f4 = f.L4, f5 = f.L5, f6 = f.L6, f7 = f.L7, f8 = f.L8, f9 = f.L9;
        Vector256<ulong> f0x2 = f0 + f0, f1x2 = f1 + f1, f1x4 = f1 << 2, f2x2 = f2 + f2, f3x2 = f3 + f3, f3x4 = f3 << 2, f4x2 = f4 + f4, f5x2 = f5 + f5, f5x4 = f5 << 2, f5x19 = Times19(f5), f6x2 = f6 + f6, f6x19 = Times19(f6), f7x2 = f7 + f7, f7x4 = f7 << 2, f7x19 = Times19(f7), f8x2 = f8 + f8, f8x19 = Times19(f8), f9x2 = f9 + f9, f9x19 = Times19(f9);
        Vector256<ulong> h0 = M(f0, f0) + M(f1x4, f9x19) + M(f2x2, f8x19) + M(f3x4, f7x19) + M(f4x2, f6x19) + M(f5x2, f5x19);
        Vector256<ulong> h1 = M(f0x2, f1) + M(f2x2, f9x19) + M(f3x2, f8x19) + M(f4x2, f7x19) + M(f5x2, f6x19);
        Vector256<ulong> h2 = M(f0x2, f2) + M(f1x2, f1) + M(f3x4, f9x19) + M(f4x2, f8x19) + M(f5x4, f7x19) + M(f6, f6x19);
        Vector256<ulong> h3 = M(f0x2, f3) + M(f1x2, f2) + M(f4x2, f9x19) + M(f5x2, f8x19) + M(f6x2, f7x19);
        Vector256<ulong> h4 = M(f0x2, f4) + M(f1x4, f3) + M(f2, f2) + M(f5x4, f9x19) + M(f6x2, f8x19) + M(f7x2, f7x19);
        Vector256<ulong> h5 = M(f0x2, f5) + M(f1x2, f4) + M(f2x2, f3) + M(f6x2, f9x19) + M(f7x2, f8x19);
        Vector256<ulong> h6 = M(f0x2, f6) + M(f1x4, f5) + M(f2x2, f4) + M(f3x2, f3) + M(f7x4, f9x19) + M(f8, f8x19);
        Vector256<ulong> h7 = M(f0x2, f7) + M(f1x2, f6) + M(f2x2, f5) + M(f3x2, f4) + M(f8x2, f9x19);
        Vector256<ulong> h8 = M(f0x2, f8) + M(f1x4, f7) + M(f2x2, f6) + M(f3x4, f5) + M(f4, f4) + M(f9x2, f9x19);
        Vector256<ulong> h9 = M(f0x2, f9) + M(f1x2, f8) + M(f2x2, f7) + M(f3x2, f6) + M(f4x2, f5);
        return CarryProduct(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    /// <summary>a^(2^k) lane-wise.</summary>
    internal static FieldElement4 SquareTimes(in FieldElement4 a, int k)
    {
        FieldElement4 r = Square(a);
        for (int i = 1; i < k; i++)
        {
            r = Square(r);
        }

        return r;
    }

    /// <summary>a^((p − 5) / 8) lane-wise: four square-root exponentiations for the price of about 1.4.</summary>
    internal static FieldElement4 Pow22523(in FieldElement4 a)
    {
        // The addition chain of FieldElement.Pow22523.
        FieldElement4 t2 = Square(a);
        FieldElement4 t9 = Mul(SquareTimes(t2, 2), a);
        FieldElement4 t11 = Mul(t9, t2);
        FieldElement4 t5 = Mul(Square(t11), t9);
        FieldElement4 t10 = Mul(SquareTimes(t5, 5), t5);
        FieldElement4 t20 = Mul(SquareTimes(t10, 10), t10);
        FieldElement4 t40 = Mul(SquareTimes(t20, 20), t20);
        FieldElement4 t50 = Mul(SquareTimes(t40, 10), t10);
        FieldElement4 t100 = Mul(SquareTimes(t50, 50), t50);
        FieldElement4 t200 = Mul(SquareTimes(t100, 100), t100);
        FieldElement4 t250 = Mul(SquareTimes(t200, 50), t50);
        return Mul(SquareTimes(t250, 2), a);
    }

    /// <summary>Moves lanes: result lane k = source lane control[k] (VPERMQ immediate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Permute(in FieldElement4 a, [ConstantExpected] byte control)
        => new(Avx2.Permute4x64(a.L0, control), Avx2.Permute4x64(a.L1, control), Avx2.Permute4x64(a.L2, control),
               Avx2.Permute4x64(a.L3, control), Avx2.Permute4x64(a.L4, control), Avx2.Permute4x64(a.L5, control),
               Avx2.Permute4x64(a.L6, control), Avx2.Permute4x64(a.L7, control), Avx2.Permute4x64(a.L8, control),
               Avx2.Permute4x64(a.L9, control));

    /// <summary>
    /// Per lane: b where the lane is selected, otherwise a. <paramref name="dwordMask"/> is the VPBLENDD
    /// immediate: two bits per 64-bit lane (lane 0 = 0x03, lane 1 = 0x0C, lane 2 = 0x30, lane 3 = 0xC0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Blend(in FieldElement4 a, in FieldElement4 b, [ConstantExpected] byte dwordMask)
    {
        return new(B(a.L0, b.L0, dwordMask), B(a.L1, b.L1, dwordMask), B(a.L2, b.L2, dwordMask), B(a.L3, b.L3, dwordMask),
                   B(a.L4, b.L4, dwordMask), B(a.L5, b.L5, dwordMask), B(a.L6, b.L6, dwordMask), B(a.L7, b.L7, dwordMask),
                   B(a.L8, b.L8, dwordMask), B(a.L9, b.L9, dwordMask));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector256<ulong> B(Vector256<ulong> x, Vector256<ulong> y, [ConstantExpected] byte mask)
            => Avx2.Blend(x.AsUInt32(), y.AsUInt32(), mask).AsUInt64();
    }
}
