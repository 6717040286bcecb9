namespace SignalSharp.Curves;

/// <summary>
/// Variable-time double-scalar multiplication a·A + b·B (B the base point), used only to verify signatures,
/// where every input is public. Straus/Shamir interleaving: width-5 NAF over a table of 8 odd multiples of A
/// built per call, width-8 NAF over a static table of 64 affine odd multiples of B.
/// </summary>
internal static class EdwardsMultiplication
{
    private const int PointWidth = 5;
    private const int BaseWidth = 8;

    /// <summary>B, 3B, 5B, …, 127B in affine Niels form.</summary>
    private static readonly AffineNielsPoint[] BaseOddMultiples = BuildBaseTable();

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
