using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SignalSharp.Benchmarks.Compare;

/// <summary>Process CPU time (CLOCK_PROCESS_CPUTIME_ID) on Linux; wall-clock time elsewhere.</summary>
internal static partial class CpuTime
{
    public static unsafe long Nanoseconds()
    {
        long* ts = stackalloc long[2];
        if (OperatingSystem.IsLinux() && clock_gettime(2, ts) == 0)
        {
            return (ts[0] * 1_000_000_000) + ts[1];
        }

        return Stopwatch.GetTimestamp() * (1_000_000_000 / Stopwatch.Frequency);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static unsafe partial int clock_gettime(int clockId, long* timespec);
}
