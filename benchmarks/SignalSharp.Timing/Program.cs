using System.Diagnostics;
using SignalSharp.Timing;
using SignalSharp.Timing.Cases;

// A dudect-style constant-time check (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?", 2017):
// per operation, samples of two secret classes are taken in random order and compared with Welch's t-test, raw and
// after cropping the upper tail at several percentiles. |t| above 4.5 is the usual evidence threshold for a
// difference between the classes; it says a timing difference exists, not that it is exploitable, and a busy
// machine can push an unrelated drift over it (re-run a failing case on a quiet machine before concluding).
// Usage: SignalSharp.Timing [--seconds N per case, default 30] [--max-samples N, default 2,000,000] [--only a,b]
var options = Args.Parse(args);
var cases = new List<TimingCase> { new X25519Case(), new XEdDsaSignCase() };
cases.AddRange(KemDecapsulationCase.All());
cases.Add(new MacVerifyCase());
if (options.Only is { } only)
{
    cases = cases.Where(c => only.Contains(c.Name)).ToList();
}

double[] cropPercentiles = [0.50, 0.75, 0.90, 0.95, 0.99];
Console.WriteLine($"dudect-style timing check: {options.Seconds} s or {options.MaxSamples:N0} samples per case, " +
    $"{Environment.ProcessorCount} cores, Stopwatch {Stopwatch.Frequency:N0} Hz, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
Console.WriteLine();
Console.WriteLine("| operation | classes | samples (fixed / random) | mean ns fixed | mean ns random | t (raw) | max \\|t\\| (crop) | verdict |");
Console.WriteLine("|---|---|---|---:|---:|---:|---:|---|");
var rng = new Random(20261204);
foreach (var c in cases)
{
    c.Prepare(new Random(c.Name.GetHashCode(StringComparison.Ordinal) ^ 10));
    double tickNs = 1e9 / Stopwatch.Frequency / c.Batch;

    // Warm-up: the first samples are measured but only used to place the crop thresholds.
    var warm = new double[2000];
    for (int i = 0; i < warm.Length; i++)
    {
        int cls = i & 1, index = rng.Next(TimingCase.PoolSize);
        long t0 = Stopwatch.GetTimestamp();
        c.Run(cls, index);
        warm[i] = (Stopwatch.GetTimestamp() - t0) * tickNs;
    }

    Array.Sort(warm);
    var tests = new List<WelchTest> { new(double.PositiveInfinity) };
    tests.AddRange(cropPercentiles.Select(p => new WelchTest(warm[(int)(p * (warm.Length - 1))])));

    GC.Collect();
    var deadline = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency);
    for (long n = 0; n < options.MaxSamples && ((n & 63) != 0 || Stopwatch.GetTimestamp() < deadline); n++)
    {
        int cls = rng.Next(2), index = rng.Next(TimingCase.PoolSize);
        long t0 = Stopwatch.GetTimestamp();
        c.Run(cls, index);
        double ns = (Stopwatch.GetTimestamp() - t0) * tickNs;
        foreach (var test in tests)
        {
            test.Add(cls, ns);
        }
    }

    var raw = tests[0];
    int worst = 0;
    for (int i = 1; i < tests.Count; i++)
    {
        if (Math.Abs(tests[i].T) > Math.Abs(tests[worst].T))
        {
            worst = i;
        }
    }

    double maxT = Math.Abs(tests[worst].T);
    string crop = worst == 0 ? "raw" : $"p{cropPercentiles[worst - 1] * 100:0}";
    string verdict = maxT < 4.5 ? "no leak detected" : maxT < 10 ? "possible leak: re-run quiet" : "leak";
    Console.WriteLine($"| {c.Name} | {c.Classes} | {raw.Count(0):N0} / {raw.Count(1):N0} | {raw.Mean(0):N0} | {raw.Mean(1):N0} | {raw.T:F2} | {maxT:F2} ({crop}) | {verdict} |");
}

internal sealed record Args(double Seconds, long MaxSamples, HashSet<string>? Only)
{
    public static Args Parse(string[] args)
    {
        double seconds = 30;
        long max = 2_000_000;
        HashSet<string>? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--max-samples": max = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--only": only = args[++i].Split(',').ToHashSet(); break;
                default: throw new ArgumentException($"unknown option {args[i]}; use --seconds N, --max-samples N, --only a,b");
            }
        }

        return new Args(seconds, max, only);
    }
}
