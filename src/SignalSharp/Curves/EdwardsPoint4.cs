using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SignalSharp.Curves;

/// <summary>
/// Edwards point arithmetic with the four coordinates in the four lanes of a <see cref="FieldElement4"/>:
/// a point is (X, Y, Z, T) and an addend is cached as (Y − X, Y + X, 2d·T, 2·Z). Doubling and addition are the
/// Hisil–Wong–Carter–Dawson formulas (a = −1) rearranged so every multiplication step is one 4-way product.
/// Variable time; verification only.
/// </summary>
internal static class EdwardsPoint4
{
    // VPERMQ controls: result lane k takes source lane ((control >> 2k) & 3).
    private const byte LanesXYZX = 0x24;      // [0,1,2,0]
    private const byte LanesXXXY = 0x40;      // [0,0,0,1]
    private const byte LanesWYYW = 0xD7;      // [3,1,1,3]
    private const byte Lanes0000 = 0x00;
    private const byte Lanes1111 = 0x55;
    private const byte Lanes2222 = 0xAA;
    private const byte Lanes2211 = 0x5A;
    private const byte LanesYYTZ = 0xB5;      // [1,1,3,2]
    private const byte Lanes1331 = 0x7D;      // [1,3,3,1]
    private const byte Lanes0220 = 0x28;      // [0,2,2,0]
    private const byte Lanes0013 = 0xD0;      // [0,0,1,3]

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

    /// <summary>The scalar point in lanes (X, Y, Z, T).</summary>
    internal static EdwardsPoint ToPoint(in FieldElement4 p)
        => new(p.GetLane(0), p.GetLane(1), p.GetLane(2), p.GetLane(3));

    /// <summary>2·P.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Double(in FieldElement4 p)
    {
        // v = (X, Y, Z, X + Y); S = v² = (A, B, ZZ, (X + Y)²).
        FieldElement4 t = FieldElement4.Permute(p, LanesXYZX);
        FieldElement4 y = FieldElement4.Blend(Zero, FieldElement4.Permute(p, LanesXXXY), Lane3);
        FieldElement4 v = FieldElement4.Add(t, y);
        FieldElement4 s = FieldElement4.Square(v);

        // first = (E, G, F, E) with E = (X+Y)² − A − B, G = B − A, F = G − 2ZZ; second = (F, H, G, H), H = −A − B.
        FieldElement4 a = FieldElement4.Permute(s, Lanes0000);
        FieldElement4 b = FieldElement4.Permute(s, Lanes1111);
        FieldElement4 u = FieldElement4.Sub(FieldElement4.Permute(s, LanesWYYW), a);
        FieldElement4 zz2 = FieldElement4.Permute(FieldElement4.Add(s, s), Lanes2222);
        FieldElement4 t3 = FieldElement4.Blend(FieldElement4.Blend(b, zz2, Lane2), Zero, Lane1);
        FieldElement4 first = FieldElement4.Reduce(FieldElement4.Sub(u, t3));
        FieldElement4 h = FieldElement4.Reduce(FieldElement4.Sub(Zero, FieldElement4.Add(a, b)));
        FieldElement4 second = FieldElement4.Blend(FieldElement4.Permute(first, Lanes2211), h, Lanes1And3);
        return FieldElement4.Mul(first, second);
    }

    /// <summary>P + Q for Q in cached form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement4 Add(in FieldElement4 p, in FieldElement4 cached)
    {
        // v = (Y − X, Y + X, T, Z); m = v·cached = (A, B, C, D).
        FieldElement4 p1 = FieldElement4.Permute(p, LanesYYTZ);
        FieldElement4 p2 = FieldElement4.Blend(FieldElement4.Permute(p, Lanes0000), Zero, Lanes2And3);
        FieldElement4 v = FieldElement4.Reduce(FieldElement4.Blend(FieldElement4.Sub(p1, p2), FieldElement4.Add(p1, p2), Lanes123));
        FieldElement4 m = FieldElement4.Mul(v, cached);

        // (H, G, G, H) = (B + A, D + C, …) and (E, F, F, E) = (B − A, D − C, …).
        FieldElement4 q1 = FieldElement4.Permute(m, Lanes1331);
        FieldElement4 q2 = FieldElement4.Permute(m, Lanes0220);
        FieldElement4 sum = FieldElement4.Add(q1, q2);
        FieldElement4 diff = FieldElement4.Reduce(FieldElement4.Sub(q1, q2));
        FieldElement4 first = FieldElement4.Blend(diff, sum, Lane1);
        FieldElement4 second = FieldElement4.Blend(FieldElement4.Permute(diff, Lanes1111), FieldElement4.Permute(sum, Lanes0013), Lanes123);
        return FieldElement4.Mul(first, second);
    }
}
