namespace SignalSharp.Curves;

/// <summary>Curve constants of edwards25519 (RFC 8032 §5.1), derived once at start-up from their definitions.</summary>
internal static class EdwardsConstants
{
    /// <summary>d = −121665 / 121666.</summary>
    internal static readonly FieldElement D;

    /// <summary>2·d.</summary>
    internal static readonly FieldElement D2;

    /// <summary>A square root of −1: 2^((p − 1) / 4).</summary>
    internal static readonly FieldElement SqrtMinusOne;

    /// <summary>The base point B (y = 4/5, x even).</summary>
    internal static readonly EdwardsPoint BasePoint;

    static EdwardsConstants()
    {
        D = FieldElement.Negate(FieldElement.Mul(FieldElement.FromUInt(121665), FieldElement.Invert(FieldElement.FromUInt(121666))));
        D2 = FieldElement.Add(D, D);
        D2 = FieldElement.Mul(D2, FieldElement.One); // normalise limbs below 2^52

        // (p − 1) / 4 = 2^253 − 5 = 2·(2^252 − 3) + 1.
        FieldElement two = FieldElement.FromUInt(2);
        SqrtMinusOne = FieldElement.Mul(FieldElement.Square(FieldElement.Pow22523(two)), two);

        FieldElement y = FieldElement.Mul(FieldElement.FromUInt(4), FieldElement.Invert(FieldElement.FromUInt(5)));
        if (!EdwardsDecoding.TryRecoverX(y, negative: false, out FieldElement x))
        {
            throw new InvalidOperationException("edwards25519 base point could not be derived");
        }

        BasePoint = EdwardsPoint.FromAffine(x, y);
    }
}
