using System.Runtime.CompilerServices;

namespace SignalSharp.Curves;

/// <summary>
/// Points of the twisted Edwards curve −x² + y² = 1 + d·x²·y² (edwards25519) in the coordinate systems of
/// Hisil–Wong–Carter–Dawson ("Twisted Edwards curves revisited", 2008): extended (X:Y:Z:T) with x = X/Z,
/// y = Y/Z, T = XY/Z. Variable-time helpers for public data only (signature verification, key checks).
/// </summary>
[SkipLocalsInit] // Hot arithmetic: every local and stackalloc is written before it is read.
internal readonly struct EdwardsPoint
{
    internal readonly FieldElement X, Y, Z, T;

    internal EdwardsPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t)
    {
        X = x;
        Y = y;
        Z = z;
        T = t;
    }

    internal static EdwardsPoint Identity => new(FieldElement.Zero, FieldElement.One, FieldElement.One, FieldElement.Zero);

    /// <summary>The point with affine coordinates (x, y).</summary>
    internal static EdwardsPoint FromAffine(in FieldElement x, in FieldElement y)
        => new(x, y, FieldElement.One, FieldElement.Mul(x, y));

    internal EdwardsPoint Negate() => new(FieldElement.Negate(X), Y, Z, FieldElement.Negate(T));

    /// <summary>The cached form used as the second operand of <see cref="Add(in CachedPoint)"/>.</summary>
    internal CachedPoint ToCached()
        => new(FieldElement.Add(Y, X), FieldElement.Sub(Y, X), Z, FieldElement.Mul(T, EdwardsConstants.D2));

    /// <summary>The affine Niels form (needs one inversion).</summary>
    internal AffineNielsPoint ToAffineNiels()
    {
        FieldElement zInv = FieldElement.Invert(Z);
        FieldElement x = FieldElement.Mul(X, zInv);
        FieldElement y = FieldElement.Mul(Y, zInv);
        return new AffineNielsPoint(
            FieldElement.Add(y, x),
            FieldElement.Sub(y, x),
            FieldElement.Mul(FieldElement.Mul(x, y), EdwardsConstants.D2));
    }

    /// <summary>2·P in completed coordinates (dbl-2008-hwcd with a = −1; T is not needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CompletedPoint Double()
    {
        FieldElement x = X, y = Y, z = Z;
        FieldElement a = FieldElement.Square(x);
        FieldElement b = FieldElement.Square(y);
        FieldElement zz = FieldElement.Square(z);
        FieldElement c = FieldElement.Add(zz, zz);
        FieldElement xy = FieldElement.Square(FieldElement.Add(x, y));
        // With D = −A: E = (X+Y)² − A − B, G = B − A, H = −A − B, F = G − C.
        FieldElement h = FieldElement.Add(a, b);         // −H
        FieldElement e = FieldElement.Sub(xy, h);
        FieldElement g = FieldElement.Sub(b, a);
        FieldElement f = FieldElement.Sub(g, c);
        // x = E/G and y = H/F; h holds −H, so F is negated too (y = (−H)/(−F)).
        return new CompletedPoint(e, h, g, FieldElement.Negate(f));
    }

    /// <summary>P + Q (add-2008-hwcd-3, a = −1, k = 2d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CompletedPoint Add(in CachedPoint q)
    {
        FieldElement a = FieldElement.Mul(FieldElement.Sub(Y, X), q.YMinusX);
        FieldElement b = FieldElement.Mul(FieldElement.Add(Y, X), q.YPlusX);
        FieldElement c = FieldElement.Mul(T, q.T2d);
        FieldElement zz = FieldElement.Mul(Z, q.Z);
        FieldElement d = FieldElement.Add(zz, zz);
        return new CompletedPoint(FieldElement.Sub(b, a), FieldElement.Add(b, a), FieldElement.Add(d, c), FieldElement.Sub(d, c));
    }

    /// <summary>P − Q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CompletedPoint Subtract(in CachedPoint q)
    {
        FieldElement a = FieldElement.Mul(FieldElement.Sub(Y, X), q.YPlusX);
        FieldElement b = FieldElement.Mul(FieldElement.Add(Y, X), q.YMinusX);
        FieldElement c = FieldElement.Mul(T, q.T2d);
        FieldElement zz = FieldElement.Mul(Z, q.Z);
        FieldElement d = FieldElement.Add(zz, zz);
        return new CompletedPoint(FieldElement.Sub(b, a), FieldElement.Add(b, a), FieldElement.Sub(d, c), FieldElement.Add(d, c));
    }

    /// <summary>P + Q for an affine Q (Z = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CompletedPoint Add(in AffineNielsPoint q)
    {
        FieldElement a = FieldElement.Mul(FieldElement.Sub(Y, X), q.YMinusX);
        FieldElement b = FieldElement.Mul(FieldElement.Add(Y, X), q.YPlusX);
        FieldElement c = FieldElement.Mul(T, q.XY2d);
        FieldElement d = FieldElement.Add(Z, Z);
        return new CompletedPoint(FieldElement.Sub(b, a), FieldElement.Add(b, a), FieldElement.Add(d, c), FieldElement.Sub(d, c));
    }

    /// <summary>P − Q for an affine Q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CompletedPoint Subtract(in AffineNielsPoint q)
    {
        FieldElement a = FieldElement.Mul(FieldElement.Sub(Y, X), q.YPlusX);
        FieldElement b = FieldElement.Mul(FieldElement.Add(Y, X), q.YMinusX);
        FieldElement c = FieldElement.Mul(T, q.XY2d);
        FieldElement d = FieldElement.Add(Z, Z);
        return new CompletedPoint(FieldElement.Sub(b, a), FieldElement.Add(b, a), FieldElement.Sub(d, c), FieldElement.Add(d, c));
    }

    /// <summary>The 32-byte RFC 8032 encoding: canonical y with the parity of x in bit 255.</summary>
    internal void Compress(Span<byte> output)
    {
        FieldElement zInv = FieldElement.Invert(Z);
        FieldElement x = FieldElement.Mul(X, zInv);
        FieldElement y = FieldElement.Mul(Y, zInv);
        y.ToBytes(output);
        if (x.IsNegative)
        {
            output[31] |= 0x80;
        }
    }
}
