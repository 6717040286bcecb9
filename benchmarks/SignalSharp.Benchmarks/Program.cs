using BenchmarkDotNet.Running;
using SignalSharp.Benchmarks;

if (args.Length > 0 && args[0] == "--curves-cputime")
{
    CurveCpuTime.Run(args[1..]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
