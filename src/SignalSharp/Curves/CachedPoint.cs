namespace SignalSharp.Curves;

/// <summary>(Y + X, Y − X, Z, 2d·T): a precomputed addend in extended coordinates.</summary>
internal readonly struct CachedPoint
{
    internal readonly FieldElement YPlusX, YMinusX, Z, T2d;

    internal CachedPoint(in FieldElement yPlusX, in FieldElement yMinusX, in FieldElement z, in FieldElement t2d)
    {
        YPlusX = yPlusX;
        YMinusX = yMinusX;
        Z = z;
        T2d = t2d;
    }
}
