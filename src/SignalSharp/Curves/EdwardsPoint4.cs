using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.Curves;

/// <summary>
/// Edwards point arithmetic with the four coordinates in the four lanes of a <see cref="FieldElement4"/>:
/// a point is (X, Y, Z, T) and an addend is cached as (Y − X, Y + X, 2d·T, 2·Z). Doubling and addition are the
/// Hisil–Wong–Carter–Dawson formulas (a = −1) rearranged so every multiplication step is one 4-way product.
/// Variable time; verification only.
/// </summary>
[SkipLocalsInit] // Hot arithmetic: every local and stackalloc is written before it is read.
internal static class EdwardsPoint4
{
    // VPERMQ controls: result lane k takes source lane ((control >> 2k) & 3).
    private const byte Lanes0000 = 0x00;
    private const byte Lanes1111 = 0x55;
    private const byte LanesYYTZ = 0xB5;      // [1,1,3,2]
    private const byte Lanes1331 = 0x7D;      // [1,3,3,1]
    private const byte Lanes0220 = 0x28;      // [0,2,2,0]
    private const byte Lanes0013 = 0xD0;      // [0,0,1,3]
    private const byte Lanes1023 = 0xE1;      // [1,0,2,3]
    private const byte Lanes0101 = 0x44;      // [0,1,0,1]
    private const byte Lanes2323 = 0xEE;      // [2,3,2,3]

    // VPBLENDD masks selecting 64-bit lanes of the second operand.
    private const byte Lane1 = 0x0C;
    private const byte Lane2 = 0x30;
    private const byte Lane3 = 0xC0;
    private const byte Lanes1And3 = 0xCC;
    private const byte Lanes2And3 = 0xF0;
    private const byte Lanes123 = 0xFC;

    private static readonly FieldElement4 Zero = default;

    internal static FieldElement4 Identity { get; } =
        FieldElement4.Create(FieldElement.Zero, FieldElement.One, FieldElement.One, FieldElement.Zero);

    internal static FieldElement4 FromPoint(in EdwardsPoint p) => FieldElement4.Create(p.X, p.Y, p.Z, p.T);

    /// <summary>The cached form of p (or of −p when <paramref name="negate"/> is set).</summary>
    internal static FieldElement4 ToCached(in EdwardsPoint p, bool negate)
    {
        FieldElement yMinusX = FieldElement.Sub(p.Y, p.X);
        FieldElement yPlusX = FieldElement.Mul(FieldElement.Add(p.Y, p.X), FieldElement.One);
        FieldElement t2d = FieldElement.Mul(p.T, EdwardsConstants.D2);
        FieldElement z2 = FieldElement.Mul(FieldElement.Add(p.Z, p.Z), FieldElement.One);
        return negate
            ? FieldElement4.Create(yPlusX, yMinusX, FieldElement.Negate(t2d), z2)
            : FieldElement4.Create(yMinusX, yPlusX, t2d, z2);
    }

    private static readonly FieldElement4 CachedScale =
        FieldElement4.Create(FieldElement.One, FieldElement.One, EdwardsConstants.D2, FieldElement.FromUInt(2));

    /// <summary>The cached form (Y − X, Y + X, 2d·T, 2·Z) of a vector point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 ToCached(in FieldElement4 p)
    {
        // (Y, Y, T, Z) ∓ (X, X, 0, 0), then scaled lane-wise by (1, 1, 2d, 2).
        FieldElement4 p1 = FieldElement4.Permute(p, LanesYYTZ);
        FieldElement4 p2 = FieldElement4.Blend(FieldElement4.Permute(p, Lanes0000), Zero, Lanes2And3);
        FieldElement4 v = FieldElement4.Reduce(FieldElement4.Blend(FieldElement4.Sub(p1, p2), FieldElement4.Add(p1, p2), Lanes123));
        return FieldElement4.Mul(v, CachedScale);
    }

    /// <summary>The cached form of −Q from that of Q: swap the first two lanes and negate the third.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 NegateCached(in FieldElement4 cached)
    {
        FieldElement4 swapped = FieldElement4.Permute(cached, Lanes1023);
        return FieldElement4.Reduce(FieldElement4.Blend(swapped, FieldElement4.Sub(Zero, swapped), Lane2));
    }

    /// <summary>The scalar point in lanes (X, Y, Z, T).</summary>
    internal static EdwardsPoint ToPoint(in FieldElement4 p)
        => new(p.GetLane(0), p.GetLane(1), p.GetLane(2), p.GetLane(3));

    // 4p per limb (radix 2^25.5), added before subtracting so limbs stay non-negative.
    private static readonly Vector256<ulong> FourP0 = Vector256.Create(4 * ((1UL << 26) - 19));
    private static readonly Vector256<ulong> FourPEven = Vector256.Create(4 * ((1UL << 26) - 1));
    private static readonly Vector256<ulong> FourPOdd = Vector256.Create(4 * ((1UL << 25) - 1));

    /// <summary>2·P.</summary>
    /// <remarks>
    /// Lane shuffles act on each limb independently, so they are done limb by limb in registers
    /// (the *Limb helpers); only the products and the carry round work on whole elements.
    /// </remarks>
    internal static FieldElement4 Double(in FieldElement4 p)
    {
        FieldElement4 v;
        DoublePrepLimb(p.L0, FourP0, out Vector256<ulong> v0);
        DoublePrepLimb(p.L1, FourPOdd, out Vector256<ulong> v1);
        DoublePrepLimb(p.L2, FourPEven, out Vector256<ulong> v2);
        DoublePrepLimb(p.L3, FourPOdd, out Vector256<ulong> v3);
        DoublePrepLimb(p.L4, FourPEven, out Vector256<ulong> v4);
        DoublePrepLimb(p.L5, FourPOdd, out Vector256<ulong> v5);
        DoublePrepLimb(p.L6, FourPEven, out Vector256<ulong> v6);
        DoublePrepLimb(p.L7, FourPOdd, out Vector256<ulong> v7);
        DoublePrepLimb(p.L8, FourPEven, out Vector256<ulong> v8);
        DoublePrepLimb(p.L9, FourPOdd, out Vector256<ulong> v9);
        v = new FieldElement4(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9);
        FieldElement4 s = FieldElement4.Square(v);
        FieldElement4 first, second;
        DoubleFinishLimb(s.L0, FourP0, out Vector256<ulong> first0, out Vector256<ulong> second0);
        DoubleFinishLimb(s.L1, FourPOdd, out Vector256<ulong> first1, out Vector256<ulong> second1);
        DoubleFinishLimb(s.L2, FourPEven, out Vector256<ulong> first2, out Vector256<ulong> second2);
        DoubleFinishLimb(s.L3, FourPOdd, out Vector256<ulong> first3, out Vector256<ulong> second3);
        DoubleFinishLimb(s.L4, FourPEven, out Vector256<ulong> first4, out Vector256<ulong> second4);
        DoubleFinishLimb(s.L5, FourPOdd, out Vector256<ulong> first5, out Vector256<ulong> second5);
        DoubleFinishLimb(s.L6, FourPEven, out Vector256<ulong> first6, out Vector256<ulong> second6);
        DoubleFinishLimb(s.L7, FourPOdd, out Vector256<ulong> first7, out Vector256<ulong> second7);
        DoubleFinishLimb(s.L8, FourPEven, out Vector256<ulong> first8, out Vector256<ulong> second8);
        DoubleFinishLimb(s.L9, FourPOdd, out Vector256<ulong> first9, out Vector256<ulong> second9);
        first = new FieldElement4(first0, first1, first2, first3, first4, first5, first6, first7, first8, first9);
        second = new FieldElement4(second0, second1, second2, second3, second4, second5, second6, second7, second8, second9);
        return FieldElement4.Mul(first, FieldElement4.Reduce(second));
    }

    /// <summary>v = (X, Y, Z, X + Y) for one limb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DoublePrepLimb(Vector256<ulong> p, Vector256<ulong> unused, out Vector256<ulong> v)
    {
        // The generated per-limb calls pass every helper the limb's 4p; this one subtracts nothing.
        _ = unused;
        Vector256<ulong> sums = p + SwapPairs(p);                        // (X+Y, X+Y | Z+T, Z+T)
        v = Blend(p, Avx2.Permute4x64(sums, Lanes0000), Lane3);
    }

    /// <summary>
    /// From S = (A, B, ZZ, (X+Y)²): first = (F', H', F', H') and second = (E, G, G, E) with E = (X+Y)² − A − B,
    /// G = B − A, F' = 2·ZZ − G, H' = A + B (unreduced). F' = −F and H' = −H of the textbook formula, so the
    /// four products (E·F, G·H, F·G, E·H) all change sign: the same projective point.
    /// </summary>
    /// <remarks>Only two shuffles cross the 128-bit halves; the rest are cheap in-half swaps and blends.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DoubleFinishLimb(Vector256<ulong> s, Vector256<ulong> fourP, out Vector256<ulong> first, out Vector256<ulong> second)
    {
        Vector256<ulong> low = Avx2.Permute4x64(s, Lanes0101);           // (A, B | A, B)
        Vector256<ulong> high = Avx2.Permute4x64(s, Lanes2323);          // (ZZ, W | ZZ, W)
        Vector256<ulong> lowSwapped = SwapPairs(low);                   // (B, A | B, A)
        Vector256<ulong> sumAB = low + lowSwapped;                      // H' in every lane
        Vector256<ulong> g = lowSwapped + fourP - low;                  // lanes 0, 2: B − A
        Vector256<ulong> f = high + high + low + fourP - lowSwapped;    // lanes 0, 2: 2·ZZ + A − B
        Vector256<ulong> e = high + fourP - sumAB;                      // lanes 1, 3: W − A − B
        first = Blend(f, sumAB, Lanes1And3);
        Vector256<ulong> eg = Blend(SwapPairs(e), SwapPairs(g), Lane1);  // (E, G | ·, ·)
        second = Blend(eg, Blend(g, e, Lane3), Lanes2And3);             // (E, G | G, E)
    }

    /// <summary>P + Q for Q in cached form.</summary>
    internal static FieldElement4 Add(in FieldElement4 p, in FieldElement4 cached)
    {
        FieldElement4 v;
        AddPrepLimb(p.L0, FourP0, out Vector256<ulong> v0);
        AddPrepLimb(p.L1, FourPOdd, out Vector256<ulong> v1);
        AddPrepLimb(p.L2, FourPEven, out Vector256<ulong> v2);
        AddPrepLimb(p.L3, FourPOdd, out Vector256<ulong> v3);
        AddPrepLimb(p.L4, FourPEven, out Vector256<ulong> v4);
        AddPrepLimb(p.L5, FourPOdd, out Vector256<ulong> v5);
        AddPrepLimb(p.L6, FourPEven, out Vector256<ulong> v6);
        AddPrepLimb(p.L7, FourPOdd, out Vector256<ulong> v7);
        AddPrepLimb(p.L8, FourPEven, out Vector256<ulong> v8);
        AddPrepLimb(p.L9, FourPOdd, out Vector256<ulong> v9);
        v = new FieldElement4(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9);
        FieldElement4 m = FieldElement4.Mul(FieldElement4.Reduce(v), cached);
        FieldElement4 first, second;
        AddFinishLimb(m.L0, FourP0, out Vector256<ulong> first0, out Vector256<ulong> second0);
        AddFinishLimb(m.L1, FourPOdd, out Vector256<ulong> first1, out Vector256<ulong> second1);
        AddFinishLimb(m.L2, FourPEven, out Vector256<ulong> first2, out Vector256<ulong> second2);
        AddFinishLimb(m.L3, FourPOdd, out Vector256<ulong> first3, out Vector256<ulong> second3);
        AddFinishLimb(m.L4, FourPEven, out Vector256<ulong> first4, out Vector256<ulong> second4);
        AddFinishLimb(m.L5, FourPOdd, out Vector256<ulong> first5, out Vector256<ulong> second5);
        AddFinishLimb(m.L6, FourPEven, out Vector256<ulong> first6, out Vector256<ulong> second6);
        AddFinishLimb(m.L7, FourPOdd, out Vector256<ulong> first7, out Vector256<ulong> second7);
        AddFinishLimb(m.L8, FourPEven, out Vector256<ulong> first8, out Vector256<ulong> second8);
        AddFinishLimb(m.L9, FourPOdd, out Vector256<ulong> first9, out Vector256<ulong> second9);
        first = new FieldElement4(first0, first1, first2, first3, first4, first5, first6, first7, first8, first9);
        second = new FieldElement4(second0, second1, second2, second3, second4, second5, second6, second7, second8, second9);
        return FieldElement4.Mul(first, FieldElement4.Reduce(second));
    }

    /// <summary>v = (Y − X, Y + X, T, Z) for one limb, without crossing the 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddPrepLimb(Vector256<ulong> p, Vector256<ulong> fourP, out Vector256<ulong> v)
    {
        Vector256<ulong> swapped = SwapPairs(p);                        // (Y, X | T, Z)
        Vector256<ulong> low = Blend(swapped + fourP - p, swapped + p, Lane1); // (Y − X, X + Y | ·, ·)
        v = Blend(low, swapped, Lanes2And3);
    }

    /// <summary>
    /// From m = (A, B, C, D): first = (E, G, F, E) and second = (F, H, G, H) with E = B − A, F = D − C,
    /// G = D + C, H = B + A (unreduced).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddFinishLimb(Vector256<ulong> m, Vector256<ulong> fourP, out Vector256<ulong> first, out Vector256<ulong> second)
    {
        Vector256<ulong> q1 = Avx2.Permute4x64(m, Lanes1331);
        Vector256<ulong> q2 = Avx2.Permute4x64(m, Lanes0220);
        Vector256<ulong> sum = q1 + q2;
        Vector256<ulong> diff = q1 + fourP - q2;
        first = Blend(diff, sum, Lane1);
        second = Blend(Avx2.Permute4x64(diff, Lanes1111), Avx2.Permute4x64(sum, Lanes0013), Lanes123);
    }

    /// <summary>Swaps the two 64-bit lanes inside each 128-bit half: (a, b | c, d) → (b, a | d, c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> SwapPairs(Vector256<ulong> v) => Avx2.Shuffle(v.AsUInt32(), 0x4E).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Blend(Vector256<ulong> a, Vector256<ulong> b, [ConstantExpected] byte dwordMask)
        => Avx2.Blend(a.AsUInt32(), b.AsUInt32(), dwordMask).AsUInt64();
}
