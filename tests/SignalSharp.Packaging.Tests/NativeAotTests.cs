using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace SignalSharp.Packaging.Tests;

/// <summary>
/// samples/SignalSharp.AotSmoke (sessions, groups, SQLite) published with Native AOT: the trimmer and the AOT
/// compiler must find nothing to warn about in SignalSharp, and the native executable must work.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed partial class NativeAotTests(PackedFeed feed)
{
    [Fact]
    public void AotPublishedSmokeAppHasNoTrimOrAotWarningsAndExchangesMessages()
    {
        string published = Path.Combine(feed.WorkFolder, "aot");
        // Same artifacts folder and properties as the pack, so the Release build of the libraries is reused.
        var publish = DotnetCli.Dotnet(feed.Root, TimeSpan.FromMinutes(8),
            "publish", Path.Combine("samples", "SignalSharp.AotSmoke", "SignalSharp.AotSmoke.csproj"),
            "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", published,
            "--artifacts-path", feed.ArtifactsFolder, "-p:CI=true", "-nologo");

        // IL2xxx are trimming warnings, IL3xxx AOT warnings; none may appear at all (ours would name SignalSharp,
        // a dependency's would still break an app that treats them as errors).
        var warnings = TrimOrAotWarning().Matches(publish.Output).Select(m => m.Value).Distinct().ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
        Assert.DoesNotContain(": warning ", publish.Output);

        var run = DotnetCli.Run(Path.Combine(published, OperatingSystem.IsWindows() ? "SignalSharp.AotSmoke.exe" : "SignalSharp.AotSmoke"), published, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("smoke: ok", run.Output);
    }

    [GeneratedRegex(@"^.*warning IL[23]\d{3}.*$", RegexOptions.Multiline)]
    private static partial Regex TrimOrAotWarning();
}
