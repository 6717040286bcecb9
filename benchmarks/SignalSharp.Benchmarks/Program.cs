using BenchmarkDotNet.Running;
using SignalSharp.Benchmarks;

if (args.Length > 0 && args[0] == "--curves-cputime")
{
    CurveCpuTime.Run(args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "--setup-phases")
{
    SignalSharp.Benchmarks.Compare.SetupPhases.Run(args.Contains("--primitives"));
    return 0;
}

// For profilers (dotnet-trace): runs one compare workload in a loop for the given seconds.
if (args.Length > 2 && args[0] == "--loop")
{
    SignalSharp.Benchmarks.Compare.CompareHost.WarmUp(args[1], 100, TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)));
    return 0;
}

if (args.Length > 0 && args[0] == "--compare")
{
    return SignalSharp.Benchmarks.Compare.CompareHost.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
