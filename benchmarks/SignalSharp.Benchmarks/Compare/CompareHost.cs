using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SignalSharp.Benchmarks.Compare;

/// <summary>
/// benchmarks/compare: SignalSharp (BenchmarkDotNet, in-process, memory diagnoser) against libsignal 0.103
/// (benchmarks/node/libsignal-workloads.mjs, a child process) on the same workloads, interleaved: for every
/// scenario, rounds alternate between the two (ABBA order), each round being a warm-up plus a number of timed
/// chunks of the same operation count. A side's rate in a round is sustained throughput: all timed operations
/// over all timed time (the mean chunk), garbage collection included on both sides — no collection is forced
/// between chunks and no chunk is dropped as an outlier. The ratio of a scenario is the median of the per-round
/// ratios, so both sides of a ratio saw the same machine conditions. The ratio of the median chunks is printed
/// beside it: libsignal's chunk times are bimodal (chunks with and without a V8 collection), so a median of
/// short chunks mostly measures its collection-free chunks.
/// </summary>
internal static class CompareHost
{
    private sealed record Scenario(string Key, string Label, string Method, int Ops, double Target, string TargetGroup, int? NodeWarmup = null);

    // Operation counts per timed chunk (the same on both sides), sized for ≈ 50–150 ms per libsignal chunk. The
    // quick run keeps the full run's chunk length (so both measure the same thing) and takes fewer of them.
    private static readonly Scenario[] Scenarios =
    [
        new("setup", "session setup (bundle + first encrypt + responder decrypt)", nameof(CompareBenchmarks.SessionSetup), 75, 1.3, "setup"),
        new("encrypt64", "one-way encrypt, 64 B", nameof(CompareBenchmarks.Encrypt64), 1500, 4, "one-way"),
        new("decrypt64", "one-way decrypt, 64 B", nameof(CompareBenchmarks.Decrypt64), 1500, 4, "one-way"),
        new("encrypt1k", "one-way encrypt, 1 KiB", nameof(CompareBenchmarks.Encrypt1k), 1500, 4, "one-way"),
        new("decrypt1k", "one-way decrypt, 1 KiB", nameof(CompareBenchmarks.Decrypt1k), 1500, 4, "one-way"),
        new("roundtrip", "round trip, 64 B each way (DH ratchet step per message)", nameof(CompareBenchmarks.RoundTrip), 200, 2, "round trip"),
        new("groupEncrypt64", "group encrypt, 64 B", nameof(CompareBenchmarks.GroupEncrypt64), 1500, 2, "group encrypt"),
        new("groupDecrypt64", "group decrypt, 64 B", nameof(CompareBenchmarks.GroupDecrypt64), 1500, 1.4, "group decrypt"),
        new("groupEncrypt1k", "group encrypt, 1 KiB", nameof(CompareBenchmarks.GroupEncrypt1k), 1500, 2, "group encrypt"),
        new("groupDecrypt1k", "group decrypt, 1 KiB", nameof(CompareBenchmarks.GroupDecrypt1k), 1500, 1.4, "group decrypt"),
        new("safetyNumber", "safety number (2 × 5200 SHA-512)", nameof(CompareBenchmarks.SafetyNumber), 50, 1, "safety number"),
        new("sealedEncrypt64", "sealed sender v1 encrypt, 64 B (session encrypt + seal)", nameof(CompareBenchmarks.SealedEncrypt64), 150, 2, "sealed sender"),
        new("sealedDecrypt64", "sealed sender v1 decrypt, 64 B (open + validate + session decrypt)", nameof(CompareBenchmarks.SealedDecrypt64), 100, 2, "sealed sender"),
        new("sealedV2x1", "sealed sender v2 encrypt, 1 device", nameof(CompareBenchmarks.SealedV2Encrypt1), 200, 2, "sealed sender"),
        new("sealedV2x10", "sealed sender v2 encrypt, 10 devices", nameof(CompareBenchmarks.SealedV2Encrypt10), 20, 2, "sealed sender", 40),
        new("sealedV2x100", "sealed sender v2 encrypt, 100 devices", nameof(CompareBenchmarks.SealedV2Encrypt100), 3, 2, "sealed sender", 6),
        new("sealedV2x1000", "sealed sender v2 encrypt, 1,000 devices", nameof(CompareBenchmarks.SealedV2Encrypt1000), 1, 2, "sealed sender", 2),
        new("distribute10", "sender-key distribution to 10 devices (pairwise encrypt each)", nameof(CompareBenchmarks.Distribute10), 20, 2, "large groups", 40),
        new("distribute100", "sender-key distribution to 100 devices", nameof(CompareBenchmarks.Distribute100), 3, 2, "large groups", 6),
        new("distribute1000", "sender-key distribution to 1,000 devices", nameof(CompareBenchmarks.Distribute1000), 1, 2, "large groups", 2),
        new("fanout10", "group encrypt + sealed v2 fan-out, 10 devices", nameof(CompareBenchmarks.FanOut10), 20, 2, "large groups", 40),
        new("fanout100", "group encrypt + sealed v2 fan-out, 100 devices", nameof(CompareBenchmarks.FanOut100), 3, 2, "large groups", 6),
        new("fanout1000", "group encrypt + sealed v2 fan-out, 1,000 devices", nameof(CompareBenchmarks.FanOut1000), 1, 2, "large groups", 2),
    ];

    private sealed record Result(Scenario Scenario, double Ours, double Theirs, double Ratio, double MedianChunkRatio, double Allocated);

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int rounds = quick ? 3 : 7;
        int chunks = quick ? 5 : 9;
        string? only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        var selected = only is null ? Scenarios : Scenarios.Where(s => only.Split(',').Contains(s.Key)).ToArray();
        var scaleParts = only is null ? Scale.ScaleHost.Parts : Scale.ScaleHost.Parts.Where(p => only.Split(',').Contains(p)).ToArray();
        if (selected.Length == 0 && scaleParts.Length == 0)
        {
            Console.Error.WriteLine($"no scenario matches --only {only}; known: {string.Join(", ", Scenarios.Select(s => s.Key).Concat(Scale.ScaleHost.Parts))}");
            return 2;
        }

        var root = FindRoot();
        var artifacts = Path.Combine(Path.GetTempPath(), $"signalsharp-compare-{Environment.ProcessId}");

        Console.WriteLine($"# SignalSharp vs libsignal 0.103 ({(quick ? "quick" : "full")}: {rounds} interleaved rounds × {chunks} timed chunks per scenario)");
        Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Machine()}");
        Console.WriteLine($"commit: {Git(root, "rev-parse --short HEAD")}{(Git(root, "status --porcelain --untracked-files=no").Length > 0 ? " (+ uncommitted changes)" : "")}");
        Console.WriteLine($".NET {Environment.Version}; {NodeVersion()}; libsignal-client {LibsignalVersion(root)}");
        Console.WriteLine();

        using var node = new NodeWorkloads(Path.Combine(root, "benchmarks", "node", "libsignal-workloads.mjs"));
        var results = new List<Result>();
        foreach (var scenario in selected)
        {
            int ops = scenario.Ops;
            var ours = new List<double>();
            var theirs = new List<double>();
            var medianRatios = new List<double>();
            var allocated = new List<double>();
            WarmUp(scenario.Method, ops, TimeSpan.FromSeconds(quick ? 2 : 4));
            for (int round = 0; round < rounds; round++)
            {
                // ABBA: the side that goes first alternates, so a drift in machine load hits both equally.
                bool nodeFirst = round % 2 == 0;
                int nodeWarmup = round == 0 ? scenario.NodeWarmup ?? Math.Max(200, ops) : ops;
                (double MeanNs, double MedianNs) their = default;
                (double MeanNs, double MedianNs, double Bytes) our = default;
                if (nodeFirst)
                {
                    their = node.Round(scenario.Key, ops, chunks, nodeWarmup);
                    our = RunOurs(scenario.Method, ops, chunks, round == 0, artifacts);
                }
                else
                {
                    our = RunOurs(scenario.Method, ops, chunks, round == 0, artifacts);
                    their = node.Round(scenario.Key, ops, chunks, nodeWarmup);
                }

                ours.Add(1e9 / our.MeanNs);
                theirs.Add(1e9 / their.MeanNs);
                medianRatios.Add(their.MedianNs / our.MedianNs);
                allocated.Add(our.Bytes);
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {scenario.Key} round {round + 1}: sustained SignalSharp {1e9 / our.MeanNs:F0}/s, libsignal {1e9 / their.MeanNs:F0}/s, ratio {their.MeanNs / our.MeanNs:F2}; median chunk {1e9 / our.MedianNs:F0}/s vs {1e9 / their.MedianNs:F0}/s, ratio {their.MedianNs / our.MedianNs:F2}"));
            }

            var ratios = ours.Zip(theirs, (o, t) => o / t).ToList();
            results.Add(new Result(scenario, Median(ours), Median(theirs), Median(ratios), Median(medianRatios), Median(allocated)));
        }

        var table = new StringBuilder();
        table.AppendLine("| scenario | SignalSharp ops/s | libsignal ops/s | ratio | target | ratio of median chunks | SignalSharp allocated B/op |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Scenario.Label} | {r.Ours:N0} | {r.Theirs:N0} | **{r.Ratio:F2}×** | ≥ {r.Scenario.Target:0.0#}× {(r.Ratio >= r.Scenario.Target ? "met" : "NOT met")} | {r.MedianChunkRatio:F2}× | {r.Allocated:N0} |"));
        }

        if (results.Count > 0)
        {
            Console.WriteLine("Sustained throughput (all timed operations over all timed time, garbage collection included on both sides); ratio = SignalSharp / libsignal, median of the per-round ratios. The ratio of median chunks (each side's median chunk, collection-free chunks favoured) is shown for comparison.");
            Console.WriteLine();
            Console.WriteLine(table);
        }

        if (only is null || only.Contains("encrypt64") || only.Contains("decrypt64"))
        {
            PrintFloor(results, quick, artifacts);
        }

        if (scaleParts.Length > 0 || results.Any(r => r.Scenario.TargetGroup is "large groups" or "sealed sender"))
        {
            Scale.ScaleHost.Run(quick, root, scaleParts, results.Select(r => (r.Scenario.Key, r.Ours, r.Theirs)).ToList());
        }

        if (results.MinBy(r => r.Ratio) is { } slowest)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slowest ratio: {slowest.Ratio:F2} ({slowest.Scenario.Key})"));
        }
        try
        {
            Directory.Delete(artifacts, recursive: true);
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static void PrintFloor(List<Result> results, bool quick, string artifacts)
    {
        var measured = RunFloor(quick, artifacts);
        double Best(string name) => Math.Min(measured[name], measured.TryGetValue(name + "Wrapper", out var m) ? m : double.MaxValue);
        var floor = new Dictionary<string, double>();
        foreach (var name in new[] { "ChainStep", "SpqrChainStep", "MessageKeysHkdf", "AesCbcEncrypt64", "AesCbcDecrypt64", "MessageMac" })
        {
            floor[name] = Best(name);
        }

        double enc = floor["ChainStep"] + floor["SpqrChainStep"] + floor["MessageKeysHkdf"] + floor["AesCbcEncrypt64"] + floor["MessageMac"];
        double dec = floor["ChainStep"] + floor["SpqrChainStep"] + floor["MessageKeysHkdf"] + floor["AesCbcDecrypt64"] + floor["MessageMac"];
        Console.WriteLine("Primitive floor of a one-way 64 B message (µs per operation, BenchmarkDotNet median; HMAC/HKDF rows: platform one-shot / SignalSharp wrapper (both BCL), the floor takes the cheaper):");
        Console.WriteLine();
        Console.WriteLine("| primitive | µs |");
        Console.WriteLine("|---|---:|");
        foreach (var (name, label) in new[]
                 {
                     ("ChainStep", "chain step (2 × HMAC-SHA256)"), ("SpqrChainStep", "SPQR chain step (HKDF → 64 B)"),
                     ("MessageKeysHkdf", "message keys (HKDF → 80 B)"), ("AesCbcEncrypt64", "AES-256-CBC encrypt 64 B, new key"),
                     ("AesCbcDecrypt64", "AES-256-CBC decrypt 64 B, new key"), ("MessageMac", "message MAC (HMAC-SHA256 over 230 B)"),
                 })
        {
            string both = measured.TryGetValue(name + "Wrapper", out var wrapper)
                ? string.Create(CultureInfo.InvariantCulture, $"{measured[name] / 1000:F2} / {wrapper / 1000:F2}")
                : string.Create(CultureInfo.InvariantCulture, $"{measured[name] / 1000:F2}");
            Console.WriteLine($"| {label} | {both} |");
        }

        var e = results.FirstOrDefault(r => r.Scenario.Key == "encrypt64");
        var d = results.FirstOrDefault(r => r.Scenario.Key == "decrypt64");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **floor: encrypt + decrypt** | **{(enc + dec) / 1000:F2}** |"));
        Console.WriteLine();
        if (e is not null && d is not null)
        {
            double oneWay = (1e9 / e.Ours) + (1e9 / d.Ours);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one-way 64 B encrypt + decrypt: {oneWay / 1000:F2} µs = {oneWay / (enc + dec):F2}× the primitive floor (target ≤ 2×)"));
            Console.WriteLine();
        }
    }

    /// <summary>
    /// Runs the workload outside BenchmarkDotNet until the JIT has settled (tier-1 code with PGO for every
    /// method the scenario touches; a setup calls hundreds of methods only a few times each, which BDN's
    /// fixed warm-up iterations alone would leave partly at tier 0). libsignal is native code and gets its own
    /// warm-up of at least 200 operations.
    /// </summary>
    internal static void WarmUp(string method, int ops, TimeSpan duration)
    {
        var instance = new CompareBenchmarks();
        // The workload's own [GlobalSetup(Targets = …)] when it has one (as BenchmarkDotNet picks it), else the general one.
        var setups = typeof(CompareBenchmarks).GetMethods().Where(m => m.GetCustomAttributes(typeof(GlobalSetupAttribute), false).Length > 0).ToList();
        (setups.FirstOrDefault(m => m.GetCustomAttributes(typeof(GlobalSetupAttribute), false).Cast<GlobalSetupAttribute>().Any(a => a.Targets.Contains(method)))
            ?? setups.First(m => m.GetCustomAttributes(typeof(GlobalSetupAttribute), false).Cast<GlobalSetupAttribute>().All(a => a.Targets.Length == 0))).Invoke(instance, null);
        var workload = typeof(CompareBenchmarks).GetMethod(method)!;
        var fill = typeof(CompareBenchmarks).GetMethods()
            .FirstOrDefault(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.IterationSetupAttribute), false)
                .Cast<BenchmarkDotNet.Attributes.IterationSetupAttribute>().Any(a => a.Targets.Contains(method)));
        CompareBenchmarks.Batch = ops;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            fill?.Invoke(instance, null);
            for (int i = 0; i < ops; i++)
            {
                workload.Invoke(instance, null);
            }
        }
    }

    private static (double MeanNs, double MedianNs, double Bytes) RunOurs(string method, int ops, int chunks, bool first, string artifacts)
    {
        CompareBenchmarks.Batch = ops;
        var summary = RunBdn(typeof(CompareBenchmarks), method, ops, chunks, first ? 3 : 1, artifacts);
        var report = summary.Reports.Single();
        if (report.ResultStatistics is null)
        {
            throw new InvalidOperationException($"BenchmarkDotNet produced no result for {method}; log in {artifacts}");
        }

        return (report.ResultStatistics.Mean, report.ResultStatistics.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? double.NaN);
    }

    private static Dictionary<string, double> RunFloor(bool quick, string artifacts)
    {
        var summary = RunBdn(typeof(PrimitiveFloorBenchmarks), null, quick ? 20_000 : 50_000, quick ? 5 : 9, 2, artifacts);
        return summary.Reports.ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r => r.ResultStatistics?.Median ?? double.NaN);
    }

    private static Summary RunBdn(Type type, string? method, int invocations, int iterations, int warmups, string artifacts)
    {
        // No forced full collection before each iteration and no outlier removal (BenchmarkDotNet's defaults):
        // the libsignal side gets neither, and a sustained rate has to pay for its own garbage.
        var job = new Job("compare")
            .WithGcForce(false)
            .WithOutlierMode(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(warmups)
            .WithIterationCount(iterations)
            .WithInvocationCount(invocations)
            .WithUnrollFactor(1);
        Directory.CreateDirectory(artifacts);
        var log = new StreamLogger(Path.Combine(artifacts, "bdn.log"), append: true);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(log)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        if (method is not null)
        {
            config = config.AddFilter(new SimpleFilter(b => b.Descriptor.WorkloadMethod.Name == method));
        }

        try
        {
            return BenchmarkRunner.Run(type, config);
        }
        finally
        {
            log.Dispose();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SignalSharp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SignalSharp.sln not found above the benchmark binary");
    }

    private static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }

        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{Environment.ProcessorCount} cores, {cpu}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load average {load} at start";
    }

    private static string Git(string root, string arguments) => Capture("git", $"-C \"{root}\" {arguments}");

    private static string NodeVersion() => "Node " + Capture("node", "--version");

    private static string LibsignalVersion(string root)
    {
        var package = Path.Combine(root, "tests", "node", "node_modules", "@signalapp", "libsignal-client", "package.json");
        return File.Exists(package) ? JsonNode.Parse(File.ReadAllText(package))?["version"]?.GetValue<string>() ?? "?" : "?";
    }

    private static string Capture(string file, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    /// <summary>The libsignal workload server, one JSON request and response per line.</summary>
    private sealed class NodeWorkloads : IDisposable
    {
        private readonly Process _process;

        public NodeWorkloads(string script)
        {
            _process = Process.Start(new ProcessStartInfo("node", $"\"{script}\"")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = false,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("cannot start node");
        }

        /// <summary>Runs one round and returns the mean (sustained) and median-chunk nanoseconds per operation.</summary>
        public (double MeanNs, double MedianNs) Round(string scenario, int ops, int chunks, int warmup)
        {
            var request = new JsonObject { ["scenario"] = scenario, ["ops"] = ops, ["chunks"] = chunks, ["warmup"] = warmup };
            _process.StandardInput.WriteLine(request.ToJsonString());
            _process.StandardInput.Flush();
            var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("libsignal workload process exited");
            var response = JsonNode.Parse(line)!;
            if (response["error"] is { } error)
            {
                throw new InvalidOperationException($"libsignal workload failed: {error}");
            }

            return (response["meanNanosecondsPerOp"]!.GetValue<double>(), response["medianNanosecondsPerOp"]!.GetValue<double>());
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill();
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
