using System.Diagnostics;
using System.Runtime.InteropServices;
using SignalSharp;

namespace SignalSharp.Benchmarks;

/// <summary>
/// The same measurement as benchmarks/node/libsignal-primitives.mjs (warm-up, then the median of rounds of
/// per-operation process CPU time), so the two can be run back to back on a shared, noisy machine and compared
/// as ratios. Run: dotnet run -c Release --project benchmarks/SignalSharp.Benchmarks -- --curves-cputime [iterations] [rounds]
/// </summary>
internal static class CurveCpuTime
{
    public static void Run(string[] args)
    {
        int iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7;

        using var alice = EcPrivateKey.Generate();
        var aliceBytes = alice.Serialize();
        using var bob = EcPrivateKey.Generate();
        var bobPublic = bob.PublicKey;
        var alicePublic = alice.PublicKey;
        var message = new byte[64];
        Array.Fill(message, (byte)7);
        var signature = alice.CalculateSignature(message);
        var shared = new byte[32];
        var sigOut = new byte[64];

        Time("generate", iterations, rounds, () =>
        {
            using var k = EcPrivateKey.Generate();
            _ = k.PublicKey;
        });
        Time("agree", iterations, rounds, () => alice.CalculateAgreement(bobPublic, shared));
        Time("sign", iterations, rounds, () => alice.CalculateSignature(message, sigOut));
        Time("sign-fresh-key", iterations, rounds, () =>
        {
            using var k = EcPrivateKey.Deserialize(aliceBytes);
            k.CalculateSignature(message, sigOut);
        });
        Time("verify", iterations, rounds, () =>
        {
            if (!alicePublic.VerifySignature(message, signature))
            {
                throw new InvalidOperationException("verify failed");
            }
        });
        Time("verify-fresh-key", iterations, rounds, () =>
        {
            if (!EcPublicKey.Deserialize(alicePublic.Serialize()).VerifySignature(message, signature))
            {
                throw new InvalidOperationException("verify failed");
            }
        });
    }

    private static void Time(string name, int iterations, int rounds, Action action)
    {
        for (int i = 0; i < Math.Max(1, iterations / 5); i++)
        {
            action();
        }

        var cpu = new List<double>();
        var wall = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            long c0 = CpuNanoseconds();
            long w0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                action();
            }

            wall.Add(Stopwatch.GetElapsedTime(w0).TotalMicroseconds / iterations);
            cpu.Add((CpuNanoseconds() - c0) / 1000.0 / iterations);
        }

        static string Median(List<double> xs)
        {
            xs.Sort();
            return xs[xs.Count / 2].ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        }

        Console.WriteLine($"{{\"op\":\"{name}\",\"microseconds\":{Median(cpu)},\"wallMicroseconds\":{Median(wall)}}}");
    }

    /// <summary>
    /// Process CPU time (CLOCK_PROCESS_CPUTIME_ID, like Node's process.cpuUsage) on Linux; wall-clock time
    /// elsewhere.
    /// </summary>
    private static unsafe long CpuNanoseconds()
    {
        long* ts = stackalloc long[2];
        if (OperatingSystem.IsLinux() && clock_gettime(2, ts) == 0)
        {
            return (ts[0] * 1_000_000_000) + ts[1];
        }

        return Stopwatch.GetTimestamp() * (1_000_000_000 / Stopwatch.Frequency);
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern unsafe int clock_gettime(int clockId, long* timespec);
}
