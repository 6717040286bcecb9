using SignalSharp.Fuzz;
using SignalSharp.TestSupport;
using Xunit;

namespace SignalSharp.Fuzz.Tests;

/// <summary>
/// Replays every committed fuzz input (the seed corpus in fuzz/seeds and the findings kept in regressions/) through its
/// target, without instrumentation: each must be accepted or refused with the library's typed error.
/// </summary>
public class FuzzReplayTests
{
    public static TheoryData<string, string> CommittedInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string root in InputRoots())
        {
            foreach (string dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                foreach (string file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                {
                    data.Add(Path.GetFileName(dir), Path.GetRelativePath(RepoPaths.Root, file));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommittedInputs))]
    public void Committed_input_is_accepted_or_refused_with_a_typed_error(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(RepoPaths.Root, file));

        // Execute lets anything but a SignalProtocolException escape, which fails the test with its stack.
        FuzzTargets.Get(target).Execute(input);
    }

    [Fact]
    public void Every_target_has_committed_seeds_and_every_input_folder_names_a_target()
    {
        var names = FuzzTargets.All.Select(t => t.Name).ToHashSet();
        var seeded = Directory.EnumerateDirectories(Path.Combine(RepoPaths.Root, "fuzz", "seeds"))
            .Where(d => Directory.EnumerateFiles(d).Any()).Select(Path.GetFileName).ToHashSet();

        Assert.Empty(names.Except(seeded!));
        foreach (string root in InputRoots())
        {
            Assert.All(Directory.EnumerateDirectories(root).Select(Path.GetFileName), name => Assert.Contains(name!, names));
        }
    }

    [Fact]
    public void Every_target_accepts_at_least_one_of_its_live_seeds()
    {
        // A seed the target refuses only exercises the rejection path; this catches a fixture that no longer
        // reaches the code behind parsing (e.g. a message that stopped decrypting).
        var world = FuzzWorld.Instance;
        Assert.All(FuzzTargets.All, target => Assert.Contains(target.Seeds(world), seed => target.Execute(seed)));
    }

    private static IEnumerable<string> InputRoots() =>
        new[] { Path.Combine(RepoPaths.Root, "fuzz", "seeds"), Path.Combine(RepoPaths.Root, "tests", "SignalSharp.Fuzz.Tests", "regressions") }
            .Where(Directory.Exists);
}
