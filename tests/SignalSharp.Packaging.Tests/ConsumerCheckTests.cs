using System.Runtime.InteropServices;
using Xunit;

namespace SignalSharp.Packaging.Tests;

/// <summary>
/// An app outside the repository that takes the three packages from the local feed, as a new user would
/// from nuget.org: samples/SignalSharp.AotSmoke/Program.cs (sessions, groups, SQLite) built against the
/// packages on net10.0, and published self-contained for net8.0.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class ConsumerCheckTests(PackedFeed feed)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public void ConsumerReferencingThePackagesExchangesSessionAndGroupMessagesOnNet10AndNet8()
    {
        string app = CreateConsumer("consumer");

        DotnetCli.Dotnet(app, BuildTimeout, "build", "-c", "Release", "-f", "net10.0", "-nologo");
        string output = Path.Combine(app, "bin", "Release", "net10.0");
        var run = DotnetCli.Run("dotnet", app, RunTimeout, Path.Combine(output, "Consumer.dll"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("smoke: ok", run.Output);

        // net8.0: only the .NET 10 runtime may be installed, so the app carries its own runtime (from NuGet).
        string rid = RuntimeInformation.RuntimeIdentifier;
        string published = Path.Combine(app, "published-net8");
        DotnetCli.Dotnet(app, BuildTimeout, "publish", "-c", "Release", "-f", "net8.0", "-r", rid, "--self-contained", "-o", published, "-nologo");
        var run8 = DotnetCli.Run(Path.Combine(published, OperatingSystem.IsWindows() ? "Consumer.exe" : "Consumer"), app, RunTimeout);
        Assert.True(run8.ExitCode == 0, run8.Output);
        Assert.Contains("smoke: ok", run8.Output);
    }

    [Fact]
    public void WithoutTheNativeLibsodiumTheFirstKeyOperationThrowsNativeCryptoUnavailable()
    {
        string app = CreateConsumer("no-sodium");
        DotnetCli.Dotnet(app, BuildTimeout, "build", "-c", "Release", "-f", "net10.0", "-nologo");
        string output = Path.Combine(app, "bin", "Release", "net10.0");

        // What a runtime identifier without a libsodium binary in the package looks like to the loader.
        var removed = Directory.GetFiles(Path.Combine(output, "runtimes"), "*sodium*", SearchOption.AllDirectories);
        Assert.NotEmpty(removed);
        foreach (string file in removed)
        {
            File.Delete(file);
        }

        var run = DotnetCli.Run("dotnet", app, RunTimeout, Path.Combine(output, "Consumer.dll"));
        Assert.True(run.ExitCode == 3, run.Output);
        Assert.Contains($"native crypto unavailable on {RuntimeInformation.RuntimeIdentifier}", run.Output);
        Assert.Contains("libsodium", run.Output);
    }

    private string CreateConsumer(string name)
    {
        string app = Path.Combine(feed.WorkFolder, name);
        Directory.CreateDirectory(app);
        File.Copy(Path.Combine(feed.Root, "samples", "SignalSharp.AotSmoke", "Program.cs"), Path.Combine(app, "Program.cs"));
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SignalSharp" Version="{feed.Version}" />
                <PackageReference Include="SignalSharp.Groups" Version="{feed.Version}" />
                <PackageReference Include="SignalSharp.Storage" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        // The feed first; nuget.org for the packages' own dependencies. Our packages come only from the feed.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed.FeedFolder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="SignalSharp" />
                  <package pattern="SignalSharp.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        // The folder is outside the repository, so none of its Directory.Build.props or global.json apply.
        feed.ForgetCachedPackages();
        return app;
    }
}
