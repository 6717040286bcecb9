using SharpFuzz;
using SignalSharp.Fuzz;

// The fuzz harness. fuzz/run drives it; the sub-commands are also usable by hand:
//   list                          the target names
//   seeds <dir>                   writes each target's seed corpus to <dir>/<target>/
//   afl <target>                  the AFL++ entry (run under afl-fuzz with SharpFuzz-instrumented assemblies)
//   libfuzzer <target>            the libFuzzer entry (with the libfuzzer-dotnet driver)
//   replay <target> <path>...     runs files (or every file in folders) once; exit 1 on an untyped exception
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: SignalSharp.Fuzz list | seeds <dir> | afl <target> | libfuzzer <target> | replay <target> <path>...");
    return 2;
}

switch (args[0])
{
    case "list":
        foreach (var target in FuzzTargets.All)
        {
            Console.WriteLine(target.Name);
        }

        return 0;

    case "seeds":
        foreach (var target in FuzzTargets.All)
        {
            string dir = Path.Combine(args[1], target.Name);
            Directory.CreateDirectory(dir);
            int n = 0;
            foreach (var seed in target.Seeds(FuzzWorld.Instance))
            {
                File.WriteAllBytes(Path.Combine(dir, $"seed-{n++:D2}"), seed);
            }

            Console.WriteLine($"{target.Name}: {n} seeds");
        }

        return 0;

    case "afl":
    {
        // No instrumented code may run before SharpFuzz maps AFL's coverage bitmap, so the world is built lazily
        // by the first input (the reason for fuzz/run's generous -t).
        var target = FuzzTargets.Get(args[1]);
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Execute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }

    case "libfuzzer":
    {
        var target = FuzzTargets.Get(args[1]);
        Fuzzer.LibFuzzer.Run(input => target.Execute(input));
        return 0;
    }

    case "replay":
    {
        var target = FuzzTargets.Get(args[1]);
        var files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p) : [p]).Order(StringComparer.Ordinal);
        int failures = 0;
        foreach (var file in files)
        {
            try
            {
                bool accepted = target.Execute(File.ReadAllBytes(file));
                Console.WriteLine($"{(accepted ? "accepted" : "rejected")}  {file}");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"FINDING   {file}: {e.GetType().FullName}: {e.Message}");
                Console.WriteLine(e.StackTrace);
            }
        }

        return failures == 0 ? 0 : 1;
    }

    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}
