using System.Runtime.CompilerServices;

namespace SignalSharp.Curves;

/// <summary>
/// A point as two fractions, x = X/Z and y = Y/T ("completed" coordinates): the output of additions and
/// doublings before the final multiplications.
/// </summary>
internal readonly struct CompletedPoint
{
    internal readonly FieldElement X, Y, Z, T;

    internal CompletedPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t)
    {
        X = x;
        Y = y;
        Z = z;
        T = t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal EdwardsPoint ToExtended()
        => new(FieldElement.Mul(X, T), FieldElement.Mul(Y, Z), FieldElement.Mul(Z, T), FieldElement.Mul(X, Y));

    /// <summary>Projective (X:Y:Z) only; the T coordinate is left zero and must not be used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal EdwardsPoint ToProjective()
        => new(FieldElement.Mul(X, T), FieldElement.Mul(Y, Z), FieldElement.Mul(Z, T), FieldElement.Zero);
}
