using BenchmarkDotNet.Running;
using SignalSharp.Benchmarks;

if (args.Length > 0 && args[0] == "--curves-cputime")
{
    CurveCpuTime.Run(args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "--setup-phases")
{
    SignalSharp.Benchmarks.Compare.SetupPhases.Run();
    return 0;
}

if (args.Length > 0 && args[0] == "--compare")
{
    return SignalSharp.Benchmarks.Compare.CompareHost.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
