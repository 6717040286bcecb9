using System.Globalization;

namespace SignalSharp.Benchmarks.Scale;

/// <summary>
/// The "cost as the work grows" part of benchmarks/compare: durable throughput and many sessions (SignalSharp
/// only), the large-group series from the compare table (distribution, fan-out, sealed sender v2 at 1–1,000
/// devices, both implementations), the CSV files and PNG charts in docs/benchmarks/.
/// </summary>
internal static class ScaleHost
{
    /// <summary>The names <c>--only</c> accepts for this part.</summary>
    public static readonly string[] Parts = ["durable", "sessions"];

    private static readonly (string Prefix, string Label)[] GroupSeries =
    [
        ("distribute", "sender-key distribution (pairwise)"),
        ("fanout", "group encrypt + sealed v2 fan-out"),
        ("sealedV2x", "sealed sender v2 encrypt"),
    ];

    public static void Run(bool quick, string root, IReadOnlyCollection<string> parts, IReadOnlyList<(string Key, double Ours, double Theirs)> compared)
    {
        var points = new List<ScalePoint>();
        foreach (var (prefix, label) in GroupSeries)
        {
            foreach (int devices in new[] { 1, 10, 100, 1000 })
            {
                var row = compared.FirstOrDefault(r => r.Key == prefix + devices.ToString(CultureInfo.InvariantCulture));
                if (row.Key is not null)
                {
                    points.Add(new ScalePoint("groups", label, "SignalSharp", devices, row.Ours));
                    points.Add(new ScalePoint("groups", label, "libsignal", devices, row.Theirs));
                }
            }
        }

        if (points.Count > 0)
        {
            GroupGrowth(points);
        }

        string directory = Path.Combine(Path.GetTempPath(), $"signalsharp-scale-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        try
        {
            if (parts.Contains("durable"))
            {
                DurableThroughput.Run(quick, directory, points);
            }

            if (parts.Contains("sessions"))
            {
                ManySessions.Run(quick, root, directory, points);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        ScalingCharts.Write(root, points);
        if (points.Count > 0)
        {
            Console.WriteLine("Charts and CSV: docs/benchmarks/groups.png, durable.png, sessions.png (and .csv), written by this run.");
            Console.WriteLine();
        }
    }

    /// <summary>Per-device cost and growth: time per operation ÷ devices, and the step from 100 to 1,000 devices.</summary>
    private static void GroupGrowth(List<ScalePoint> points)
    {
        Console.WriteLine("### Large groups: growth with the device count (µs per device = 1 / (ops/s × devices))");
        Console.WriteLine();
        Console.WriteLine("| workload | implementation | 10 | 100 | 1,000 | time ×, 100 → 1,000 devices |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var group in points.GroupBy(p => (p.Series, p.Implementation)))
        {
            string Cell(int n) => group.FirstOrDefault(p => p.Size == n) is { } p ? (1e6 / (p.Value * n)).ToString("F1", CultureInfo.InvariantCulture) : "–";
            var p100 = group.FirstOrDefault(p => p.Size == 100);
            var p1000 = group.FirstOrDefault(p => p.Size == 1000);
            string growth = p100 is not null && p1000 is not null ? (p100.Value / p1000.Value).ToString("F1", CultureInfo.InvariantCulture) + "×" : "–";
            Console.WriteLine($"| {group.Key.Series} | {group.Key.Implementation} | {Cell(10)} | {Cell(100)} | {Cell(1000)} | {growth} (linear: 10×) |");
        }

        Console.WriteLine();
    }
}
