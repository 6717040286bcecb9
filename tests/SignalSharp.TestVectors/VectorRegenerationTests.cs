using System.Text;
using Xunit;

namespace SignalSharp.TestVectors;

/// <summary>The committed vectors are exactly what the generator produces today.</summary>
public sealed class VectorRegenerationTests
{
    private const string RegenerateCommand = "dotnet run --project tests/SignalSharp.TestVectors -- --write";

    [Fact]
    public async Task EveryCommittedVectorRegeneratesByteForByte()
    {
        var generated = await VectorSet.SharedAsync();
        foreach (var (fileName, content) in generated)
        {
            var path = Path.Combine(VectorSet.Folder, fileName);
            Assert.True(File.Exists(path), $"{fileName} is missing from docs/test-vectors; run `{RegenerateCommand}`");
            var committed = await File.ReadAllBytesAsync(path);
            if (!committed.AsSpan().SequenceEqual(content))
            {
                Assert.Fail($"{fileName} differs from a fresh generation ({FirstDifference(committed, content)}); if the change is intended, run `{RegenerateCommand}` and review the diff");
            }
        }
    }

    [Fact]
    public async Task TheFolderHoldsNoVectorTheGeneratorDoesNotProduce()
    {
        var generated = (await VectorSet.SharedAsync()).Select(v => v.FileName).ToHashSet();
        var committed = Directory.GetFiles(VectorSet.Folder, "*.json").Select(Path.GetFileName).ToList();
        Assert.All(committed, name => Assert.Contains(name!, generated));
    }

    [Fact]
    public async Task TwoGenerationsInOneProcessAreIdentical()
    {
        // Guards the seeding itself: a draw from the system generator anywhere would make the runs differ.
        var first = await VectorSet.SharedAsync();
        var second = await VectorSet.GenerateAsync();
        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.True(first[i].Content.AsSpan().SequenceEqual(second[i].Content), $"{first[i].FileName} changed between two runs");
        }
    }

    private static string FirstDifference(byte[] committed, byte[] generated)
    {
        var a = Encoding.UTF8.GetString(committed).Split('\n');
        var b = Encoding.UTF8.GetString(generated).Split('\n');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return $"first difference at line {i + 1}: committed `{Shorten(a[i])}`, generated `{Shorten(b[i])}`";
            }
        }

        return $"committed has {a.Length} lines, generated {b.Length}";
    }

    private static string Shorten(string line) => line.Length <= 120 ? line.Trim() : line.Trim()[..Math.Min(117, line.Trim().Length)] + "...";
}
