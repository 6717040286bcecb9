namespace SignalSharp.Timing;

/// <summary>
/// Welford running mean and variance per class and Welch's t statistic between the two classes. One instance per
/// crop threshold: a sample above the threshold is left out, as dudect does to cut the long upper tail that
/// interrupts and frequency changes add.
/// </summary>
internal sealed class WelchTest(double threshold)
{
    private readonly double[] _mean = new double[2];
    private readonly double[] _m2 = new double[2];
    private readonly long[] _n = new long[2];

    public double Threshold { get; } = threshold;

    public long Count(int cls) => _n[cls];

    public double Mean(int cls) => _mean[cls];

    public void Add(int cls, double x)
    {
        if (x > Threshold)
        {
            return;
        }

        _n[cls]++;
        double delta = x - _mean[cls];
        _mean[cls] += delta / _n[cls];
        _m2[cls] += delta * (x - _mean[cls]);
    }

    /// <summary>Welch's t; 0 until both classes have two samples.</summary>
    public double T
    {
        get
        {
            if (_n[0] < 2 || _n[1] < 2)
            {
                return 0;
            }

            double v0 = _m2[0] / (_n[0] - 1);
            double v1 = _m2[1] / (_n[1] - 1);
            double se = Math.Sqrt((v0 / _n[0]) + (v1 / _n[1]));
            return se == 0 ? 0 : (_mean[0] - _mean[1]) / se;
        }
    }
}
