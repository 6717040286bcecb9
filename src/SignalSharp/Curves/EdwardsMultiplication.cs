using System.Runtime.CompilerServices;

namespace SignalSharp.Curves;

/// <summary>
/// Variable-time double-scalar multiplication a·A + b·B (B the base point), used only to verify signatures,
/// where every input is public. Straus/Shamir interleaving: width-5 NAF over a table of 8 odd multiples of A
/// built per call, width-8 NAF over a static table of 64 affine odd multiples of B.
/// </summary>
[SkipLocalsInit] // Hot arithmetic: every local and stackalloc is written before it is read.
internal static class EdwardsMultiplication
{
    private const int PointWidth = 5;
    private const int BaseWidth = 8;

    /// <summary>B, 3B, 5B, …, 127B in affine Niels form.</summary>
    private static readonly AffineNielsPoint[] BaseOddMultiples = BuildBaseTable();

    /// <summary>The same multiples in 4-way cached form: entry 2i = (2i+1)·B, entry 2i+1 = −(2i+1)·B.</summary>
    private static readonly FieldElement4[]? BaseOddMultiples4 = FieldElement4.IsSupported ? BuildBaseTable4() : null;

    private static FieldElement4[] BuildBaseTable4()
    {
        var table = new FieldElement4[2 << (BaseWidth - 2)];
        EdwardsPoint b = EdwardsConstants.BasePoint;
        CachedPoint b2 = b.Double().ToExtended().ToCached();
        EdwardsPoint current = b;
        for (int i = 0; i < table.Length / 2; i++)
        {
            table[2 * i] = EdwardsPoint4.ToCached(current, negate: false);
            table[(2 * i) + 1] = EdwardsPoint4.ToCached(current, negate: true);
            current = current.Add(b2).ToExtended();
        }

        return table;
    }

    private static AffineNielsPoint[] BuildBaseTable()
    {
        var table = new AffineNielsPoint[1 << (BaseWidth - 2)];
        EdwardsPoint b = EdwardsConstants.BasePoint;
        CachedPoint b2 = b.Double().ToExtended().ToCached();
        EdwardsPoint current = b;
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = current.ToAffineNiels();
            current = current.Add(b2).ToExtended();
        }

        return table;
    }

    /// <summary>Computes a·A + b·B for scalars below 2^255 (little-endian 32 bytes).</summary>
    internal static EdwardsPoint DoubleScalarMulBase(ReadOnlySpan<byte> a, in EdwardsPoint pointA, ReadOnlySpan<byte> b)
        => BaseOddMultiples4 is null ? DoubleScalarMulBaseScalar(a, pointA, b) : DoubleScalarMulBaseVector(a, pointA, b);

    /// <summary>The AVX2 path: the same Straus loop with 4-way point formulas.</summary>
    internal static EdwardsPoint DoubleScalarMulBaseVector(ReadOnlySpan<byte> a, in EdwardsPoint pointA, ReadOnlySpan<byte> b)
    {
        FieldElement4[] baseTable = BaseOddMultiples4 ?? throw new PlatformNotSupportedException("AVX2 required");
        Span<sbyte> nafA = stackalloc sbyte[256];
        Span<sbyte> nafB = stackalloc sbyte[256];
        NafScalar.Compute(a, PointWidth, nafA);
        NafScalar.Compute(b, BaseWidth, nafB);

        // ±A, ±3A, …, ±15A (entry 2i = (2i+1)·A, entry 2i+1 its negation), built with the vector formulas.
        Span<FieldElement4> tableA = stackalloc FieldElement4[2 << (PointWidth - 2)];
        FieldElement4 current = EdwardsPoint4.FromPoint(pointA);
        FieldElement4 twiceA = EdwardsPoint4.ToCached(EdwardsPoint4.Double(current));
        for (int i = 0; i < tableA.Length / 2; i++)
        {
            if (i > 0)
            {
                current = EdwardsPoint4.Add(current, twiceA);
            }

            tableA[2 * i] = EdwardsPoint4.ToCached(current);
            tableA[(2 * i) + 1] = EdwardsPoint4.NegateCached(tableA[2 * i]);
        }

        int top = 255;
        while (top >= 0 && nafA[top] == 0 && nafB[top] == 0)
        {
            top--;
        }

        if (top < 0)
        {
            return EdwardsPoint.Identity;
        }

        FieldElement4 r = EdwardsPoint4.Identity;
        for (int i = top; i >= 0; i--)
        {
            r = EdwardsPoint4.Double(r);
            int da = nafA[i];
            if (da != 0)
            {
                r = EdwardsPoint4.Add(r, tableA[da > 0 ? da - 1 : -da]);
            }

            int db = nafB[i];
            if (db != 0)
            {
                r = EdwardsPoint4.Add(r, baseTable[db > 0 ? db - 1 : -db]);
            }
        }

        return EdwardsPoint4.ToPoint(r);
    }

    /// <summary>The portable path on 64-bit scalar field arithmetic.</summary>
    internal static EdwardsPoint DoubleScalarMulBaseScalar(ReadOnlySpan<byte> a, in EdwardsPoint pointA, ReadOnlySpan<byte> b)
    {
        Span<sbyte> nafA = stackalloc sbyte[256];
        Span<sbyte> nafB = stackalloc sbyte[256];
        NafScalar.Compute(a, PointWidth, nafA);
        NafScalar.Compute(b, BaseWidth, nafB);

        // A, 3A, 5A, …, 15A.
        Span<CachedPoint> tableA = stackalloc CachedPoint[1 << (PointWidth - 2)];
        CachedPoint a2 = pointA.Double().ToExtended().ToCached();
        EdwardsPoint current = pointA;
        tableA[0] = current.ToCached();
        for (int i = 1; i < tableA.Length; i++)
        {
            current = current.Add(a2).ToExtended();
            tableA[i] = current.ToCached();
        }

        int top = 255;
        while (top >= 0 && nafA[top] == 0 && nafB[top] == 0)
        {
            top--;
        }

        EdwardsPoint r = EdwardsPoint.Identity;
        for (int i = top; i >= 0; i--)
        {
            CompletedPoint t = r.Double();
            int da = nafA[i];
            int db = nafB[i];
            if (da > 0)
            {
                t = t.ToExtended().Add(tableA[da >> 1]);
            }
            else if (da < 0)
            {
                t = t.ToExtended().Subtract(tableA[(-da) >> 1]);
            }

            if (db > 0)
            {
                t = t.ToExtended().Add(BaseOddMultiples[db >> 1]);
            }
            else if (db < 0)
            {
                t = t.ToExtended().Subtract(BaseOddMultiples[(-db) >> 1]);
            }

            r = i == 0 ? t.ToExtended() : t.ToProjective();
        }

        return top < 0 ? EdwardsPoint.Identity : r;
    }
}
