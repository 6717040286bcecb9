namespace SignalSharp.Benchmarks.Scale;

/// <summary>One measured point of a scaling series: chart, series, implementation, size (x) and value (y).</summary>
internal sealed record ScalePoint(string Chart, string Series, string Implementation, double Size, double Value);
