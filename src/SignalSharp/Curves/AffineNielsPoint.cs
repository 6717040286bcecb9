namespace SignalSharp.Curves;

/// <summary>(y + x, y − x, 2d·x·y): a precomputed affine addend.</summary>
internal readonly struct AffineNielsPoint
{
    internal readonly FieldElement YPlusX, YMinusX, XY2d;

    internal AffineNielsPoint(in FieldElement yPlusX, in FieldElement yMinusX, in FieldElement xy2d)
    {
        YPlusX = yPlusX;
        YMinusX = yMinusX;
        XY2d = xy2d;
    }
}
