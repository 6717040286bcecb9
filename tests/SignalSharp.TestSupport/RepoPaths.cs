namespace SignalSharp.TestSupport;

/// <summary>Locates folders of this repository from a running test.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The folder that holds SignalSharp.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The Node folder with the reference peers (tests/node), its dependencies installed (npm ci runs once when they are missing).</summary>
    public static string NodeFolder => NodePeerInstaller.EnsureInstalled();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SignalSharp.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SignalSharp.sln not found above " + AppContext.BaseDirectory);
    }
}
