namespace SignalSharp.TestVectors;

/// <summary>
/// Regenerates docs/test-vectors: <c>dotnet run --project tests/SignalSharp.TestVectors -- --write</c>.
/// Without <c>--write</c> it only reports which files differ from a fresh generation (exit code 1 if any).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        bool write = args.Contains("--write");
        int differing = 0;
        Directory.CreateDirectory(VectorSet.Folder);
        foreach (var (fileName, content) in await VectorSet.GenerateAsync())
        {
            var path = Path.Combine(VectorSet.Folder, fileName);
            bool same = File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
            if (!same && write)
            {
                await File.WriteAllBytesAsync(path, content);
            }

            differing += same ? 0 : 1;
            Console.WriteLine($"{(same ? "unchanged" : write ? "written  " : "differs  ")} {Path.GetRelativePath(Environment.CurrentDirectory, path)} ({content.Length} bytes)");
        }

        return write || differing == 0 ? 0 : 1;
    }
}
