using System.Xml.Linq;
using Xunit;

namespace SignalSharp.Packaging.Tests;

/// <summary>
/// Packs SignalSharp, SignalSharp.Groups and SignalSharp.Storage once per test run into a local folder feed,
/// as CI would (Release, CI=true), with bin/obj in a private artifacts folder so that the developer's own
/// build output is neither used nor touched.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    /// <summary>The three shipped packages, in dependency order.</summary>
    public static readonly string[] PackageIds = ["SignalSharp", "SignalSharp.Groups", "SignalSharp.Storage"];

    /// <summary>Packs the three libraries.</summary>
    public PackedFeed()
    {
        Root = FindRoot();
        WorkFolder = Path.Combine(Path.GetTempPath(), "signalsharp-packaging-" + Guid.NewGuid().ToString("N"));
        FeedFolder = Path.Combine(WorkFolder, "feed");
        ArtifactsFolder = Path.Combine(WorkFolder, "artifacts");
        Directory.CreateDirectory(FeedFolder);
        Version = ReadVersion(Root);

        foreach (string id in PackageIds)
        {
            var result = DotnetCli.Dotnet(Root, TimeSpan.FromMinutes(5),
                "pack", Path.Combine("src", id, id + ".csproj"), "-c", "Release", "-o", FeedFolder,
                "--artifacts-path", ArtifactsFolder, "-p:CI=true", "-nologo");
            PackOutput += result.Output;
            PackTime += result.Elapsed;
        }
    }

    /// <summary>The repository root (the folder holding SignalSharp.sln).</summary>
    public string Root { get; }

    /// <summary>A private temporary folder for this run.</summary>
    public string WorkFolder { get; }

    /// <summary>The local folder feed holding the .nupkg and .snupkg files.</summary>
    public string FeedFolder { get; }

    /// <summary>bin/obj of the packed projects (and of the AOT publish, which reuses the Release build).</summary>
    public string ArtifactsFolder { get; }

    /// <summary>The version every package carries: the one &lt;Version&gt; in the root Directory.Build.props.</summary>
    public string Version { get; }

    /// <summary>Everything the three <c>dotnet pack</c> runs printed.</summary>
    public string PackOutput { get; } = "";

    /// <summary>How long packing took.</summary>
    public TimeSpan PackTime { get; }

    /// <summary>Path of a package in the feed.</summary>
    public string Package(string id, string extension = "nupkg") => Path.Combine(FeedFolder, $"{id}.{Version}.{extension}");

    /// <summary>
    /// Removes this version of our packages from the NuGet global packages folder, where a previous run's
    /// extraction (same version, older content) would otherwise be used instead of the freshly packed files.
    /// </summary>
    public void ForgetCachedPackages()
    {
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string id in PackageIds)
        {
            string folder = Path.Combine(cache, id.ToLowerInvariant(), Version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ForgetCachedPackages();
        try
        {
            Directory.Delete(WorkFolder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SignalSharp.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SignalSharp.sln not found above " + AppContext.BaseDirectory);
    }

    private static string ReadVersion(string root)
    {
        var props = XDocument.Load(Path.Combine(root, "Directory.Build.props"));
        return props.Descendants("Version").Single().Value;
    }
}

/// <summary>The tests that use the packed feed run one after another (they all run dotnet, which is CPU-bound).</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedFeed>
{
    /// <summary>The collection name.</summary>
    public const string Name = "packaging";
}
