using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit;

namespace SignalSharp.Packaging.Tests;

/// <summary>What a NuGet user and a security reviewer find in the three packages and their symbol packages.</summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageMetadataTests(PackedFeed feed)
{
    private static readonly string[] TargetFrameworks = ["net8.0", "net10.0"];

    // The portable-PDB custom debug information kind that holds a document's embedded source.
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Fact]
    public void PackingProducesNoWarnings()
    {
        Assert.DoesNotContain(": warning ", feed.PackOutput);
    }

    [Theory]
    [InlineData("SignalSharp")]
    [InlineData("SignalSharp.Groups")]
    [InlineData("SignalSharp.Storage")]
    public void NuspecCarriesLicenceReadmeAndTheSingleVersionAndNoMadeUpRepositoryUrl(string id)
    {
        using var package = ZipFile.OpenRead(feed.Package(id));
        var metadata = Nuspec(package);

        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(feed.Version, Value(metadata, "version"));
        var license = Element(metadata, "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "authors")));
        Assert.Equal("README.md", Value(metadata, "readme"));

        // The feed is packed without SignalSharpRepositoryUrl, as every build but a release is.
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName is "projectUrl" or "repository");
    }

    [Fact]
    public void RepositoryUrlsCommitAndSourceLinkAreOnExactlyWhenAReleaseSetsTheRepositoryUrl()
    {
        // Evaluation only (seconds): the same properties pack and the Source Link targets read.
        const string url = "https://github.com/example-owner/signalsharp";
        var unset = Evaluate(null);
        Assert.All(["PackageProjectUrl", "RepositoryUrl", "RepositoryType"], name => Assert.Equal("", unset[name]));
        Assert.All(["PublishRepositoryUrl", "EnableSourceLink", "EnableSourceControlManagerQueries"], name => Assert.Equal("false", unset[name]));

        var set = Evaluate(url);
        Assert.Equal(url, set["PackageProjectUrl"]);
        Assert.Equal(url, set["RepositoryUrl"]);
        Assert.Equal("git", set["RepositoryType"]);
        Assert.All(["PublishRepositoryUrl", "EnableSourceLink", "EnableSourceControlManagerQueries"], name => Assert.Equal("true", set[name]));
    }

    private Dictionary<string, string> Evaluate(string? repositoryUrl)
    {
        string[] names = ["PackageProjectUrl", "RepositoryUrl", "RepositoryType", "PublishRepositoryUrl", "EnableSourceLink", "EnableSourceControlManagerQueries"];
        var arguments = new List<string> { "msbuild", Path.Combine(feed.Root, "src", "SignalSharp", "SignalSharp.csproj"), "-nologo", "-p:Configuration=Release", $"-p:SignalSharpRepositoryUrl={repositoryUrl}" };
        arguments.AddRange(names.Select(n => "-getProperty:" + n));
        var result = DotnetCli.Dotnet(feed.Root, TimeSpan.FromMinutes(2), [.. arguments]);
        var properties = System.Text.Json.Nodes.JsonNode.Parse(result.Output)!["Properties"]!.AsObject();
        return names.ToDictionary(n => n, n => (string?)properties[n] ?? "");
    }

    [Theory]
    [InlineData("SignalSharp")]
    [InlineData("SignalSharp.Groups")]
    [InlineData("SignalSharp.Storage")]
    public void PackageReadmeIsThePackagesOwnWithAnInstallLineAndAnExample(string id)
    {
        using var package = ZipFile.OpenRead(feed.Package(id));
        string readme = ReadText(package, "README.md");
        Assert.StartsWith("# " + id + "\n", readme.ReplaceLineEndings("\n"));
        Assert.Contains("dotnet add package " + id, readme);
        Assert.Contains("```csharp", readme);
    }

    [Theory]
    [InlineData("SignalSharp")]
    [InlineData("SignalSharp.Groups")]
    [InlineData("SignalSharp.Storage")]
    public void EachTargetFrameworkShipsTheAssemblyWithXmlDocsMarkedTrimmable(string id)
    {
        using var package = ZipFile.OpenRead(feed.Package(id));
        foreach (string tfm in TargetFrameworks)
        {
            byte[] dll = ReadBytes(package, $"lib/{tfm}/{id}.dll");
            string xml = ReadText(package, $"lib/{tfm}/{id}.xml");
            Assert.Contains("<member name=\"T:", xml);

            using var pe = new PEReader(new MemoryStream(dll));
            var reader = pe.GetMetadataReader();
            var assemblyMetadata = AssemblyMetadataAttributes(reader);
            Assert.Equal("True", assemblyMetadata.GetValueOrDefault("IsTrimmable"));
            // A deterministic compilation records itself in the debug directory.
            Assert.Contains(pe.ReadDebugDirectory(), e => e.Type == DebugDirectoryEntryType.Reproducible);
        }
    }

    [Theory]
    [InlineData("SignalSharp", new string[] { "Google.Protobuf", "libsodium" })]
    [InlineData("SignalSharp.Groups", new string[] { "SignalSharp", "Google.Protobuf" })]
    [InlineData("SignalSharp.Storage", new string[] { "SignalSharp", "SignalSharp.Groups", "Microsoft.Data.Sqlite" })]
    public void DependenciesAreExactlyTheRuntimeOnesWithSiblingsPinnedToTheSameVersion(string id, string[] expected)
    {
        using var package = ZipFile.OpenRead(feed.Package(id));
        var metadata = Nuspec(package);
        var groups = Element(metadata, "dependencies").Elements().Where(e => e.Name.LocalName == "group").ToList();
        Assert.Equal(TargetFrameworks.Order(StringComparer.Ordinal), groups.Select(g => g.Attribute("targetFramework")!.Value).Order(StringComparer.Ordinal));
        foreach (var group in groups)
        {
            var dependencies = group.Elements().ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
            Assert.Equal(expected.Order(StringComparer.Ordinal), dependencies.Keys.Order(StringComparer.Ordinal));
            foreach (var (dependency, range) in dependencies)
            {
                if (dependency.StartsWith("SignalSharp", StringComparison.Ordinal))
                {
                    // The packages see each other's internals, so only the same build fits.
                    Assert.Equal($"[{feed.Version}]", range);
                }
                else
                {
                    // A minimum version: the app may take newer patches of protobuf, libsodium or SQLite.
                    Assert.Matches(@"^\d+\.\d+\.\d+$", range);
                }
            }
        }
    }

    [Theory]
    [InlineData("SignalSharp")]
    [InlineData("SignalSharp.Groups")]
    [InlineData("SignalSharp.Storage")]
    public void SymbolPackageHoldsMatchingPdbsWithEveryCompiledSourceEmbeddedUnderDeterministicPaths(string id)
    {
        using var package = ZipFile.OpenRead(feed.Package(id));
        using var symbols = ZipFile.OpenRead(feed.Package(id, "snupkg"));
        foreach (string tfm in TargetFrameworks)
        {
            using var pe = new PEReader(new MemoryStream(ReadBytes(package, $"lib/{tfm}/{id}.dll")));
            var codeView = pe.ReadCodeViewDebugDirectoryData(pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView));

            using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(ReadBytes(symbols, $"lib/{tfm}/{id}.pdb")));
            var pdb = pdbProvider.GetMetadataReader();
            Assert.Equal(codeView.Guid, new BlobContentId(pdb.DebugMetadataHeader!.Id).Guid);

            var embedded = new HashSet<DocumentHandle>();
            foreach (var handle in pdb.CustomDebugInformation)
            {
                var info = pdb.GetCustomDebugInformation(handle);
                if (pdb.GetGuid(info.Kind) == EmbeddedSourceKind && info.Parent.Kind == HandleKind.Document)
                {
                    embedded.Add((DocumentHandle)info.Parent);
                }
            }

            Assert.NotEmpty(pdb.Documents);
            foreach (var document in pdb.Documents)
            {
                string path = pdb.GetString(pdb.GetDocument(document).Name);
                // CI builds map the checkout folder to /_/ (and an obj/ folder outside it to /_1/) so that the
                // output does not depend on where it was built.
                Assert.Matches("^/_[0-9]*/", path);
                Assert.True(embedded.Contains(document), $"{path} is not embedded in {id}.pdb ({tfm})");
            }
        }
    }

    private static XElement Nuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static XElement Element(XElement parent, string name)
        => parent.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? throw new Xunit.Sdk.XunitException($"nuspec has no <{name}>");

    private static string Value(XElement parent, string name) => Element(parent, name).Value;

    private static byte[] ReadBytes(ZipArchive archive, string path)
    {
        var entry = archive.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"package has no {path}; it has: {string.Join(", ", archive.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ReadText(ZipArchive archive, string path) => System.Text.Encoding.UTF8.GetString(ReadBytes(archive, path));

    private static Dictionary<string, string> AssemblyMetadataAttributes(MetadataReader reader)
    {
        var result = new Dictionary<string, string>();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var ctor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (ctor.Parent.Kind != HandleKind.TypeReference
                || reader.GetString(reader.GetTypeReference((TypeReferenceHandle)ctor.Parent).Name) != "AssemblyMetadataAttribute")
            {
                continue;
            }

            var blob = reader.GetBlobReader(attribute.Value);
            blob.ReadUInt16(); // prolog 0x0001
            string key = blob.ReadSerializedString() ?? "";
            result[key] = blob.ReadSerializedString() ?? "";
        }

        return result;
    }
}
