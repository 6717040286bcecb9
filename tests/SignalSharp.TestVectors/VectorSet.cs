using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.TestSupport;

namespace SignalSharp.TestVectors;

/// <summary>Every vector file of docs/test-vectors, generated in memory.</summary>
internal static class VectorSet
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>docs/test-vectors in this repository.</summary>
    public static string Folder => Path.Combine(RepoPaths.Root, "docs", "test-vectors");

    private static readonly Lazy<Task<IReadOnlyList<(string FileName, byte[] Content)>>> SharedGeneration = new(GenerateAsync);

    /// <summary>One generation shared by the tests of a run (each generation runs every scenario).</summary>
    public static Task<IReadOnlyList<(string FileName, byte[] Content)>> SharedAsync() => SharedGeneration.Value;

    /// <summary>File name → exact file bytes (UTF-8, LF line ends, final newline).</summary>
    public static async Task<IReadOnlyList<(string FileName, byte[] Content)>> GenerateAsync()
    {
        var vectors = new List<JsonObject>
        {
            await SessionScenarios.PingPongAcrossSpqrEpochAsync(),
            await SessionScenarios.OutOfOrderAsync(),
            await SessionScenarios.OutOfOrderAcrossChainsAsync(),
            await SessionScenarios.WithoutOneTimePreKeyAsync(),
            await GroupScenario.RecordAsync(),
            await SealedSenderScenario.RecordAsync(),
            SafetyNumberScenario.Record(),
        };
        return vectors.Select(v => ($"{(string)v["scenario"]!}.json", Encoding.UTF8.GetBytes(v.ToJsonString(Options) + "\n"))).ToList();
    }
}
