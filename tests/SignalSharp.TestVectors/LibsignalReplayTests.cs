using System.Diagnostics;
using System.Text.Json.Nodes;
using SignalSharp.TestSupport;
using Xunit;

namespace SignalSharp.TestVectors;

/// <summary>
/// The committed vectors replayed in the official libsignal 0.103 (tests/node/replay-vectors.mjs): the
/// receiver's private keys are imported into libsignal's stores and libsignal decrypts the messages.
/// </summary>
public sealed class LibsignalReplayTests
{
    [Fact]
    public async Task LibsignalDecryptsEveryReplayableVectorMessageAndChecksEveryOtherWithTheRecordedKeys()
    {
        var (exitCode, stdout, stderr) = await RunReplayAsync(VectorSet.Folder);
        Assert.True(exitCode == 0, $"replay-vectors.mjs failed:\n{stderr}");
        var results = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToDictionary(r => (string)r["file"]!);

        foreach (var path in Directory.GetFiles(VectorSet.Folder, "*.json"))
        {
            var name = Path.GetFileName(path);
            Assert.True(results.TryGetValue(name, out var result), $"libsignal did not replay {name}");
            var vector = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
            switch ((string)vector["kind"]!)
            {
                case "session":
                    int replayable = ReplayableDecryptions(vector);
                    Assert.True(replayable > 0, $"{name} has no message libsignal can replay");
                    Assert.Equal(replayable, (int)result["decrypted"]!);
                    // Every other decryption is checked with the recorded keys (keyed check).
                    Assert.Equal((int)result["of"]! - replayable, (int)result["keyedChecks"]!);
                    break;
                case "group":
                    Assert.Equal((int)result["of"]!, (int)result["decrypted"]!);
                    Assert.True((int)result["decrypted"]! > 0);
                    break;
                case "sealed_sender":
                    Assert.Equal((int)result["of"]!, (int)result["decrypted"]!);
                    Assert.True((int)result["decrypted"]! >= 2, $"{name}: libsignal decrypted fewer than the v1 and the v2 message");
                    Assert.Equal(2, (int)result["certificatesValidated"]!);
                    Assert.Equal(1, (int)result["splitsCompared"]!);
                    break;
                case "safety_number":
                    Assert.Equal(2, (int)result["fingerprintsCompared"]!);
                    break;
                default:
                    Assert.Fail($"{name}: unknown kind");
                    break;
            }
        }
    }

    [Fact]
    public async Task TheReplayFailsWhenARecordedPlaintextIsWrong()
    {
        var vector = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(VectorSet.Folder, "session-out-of-order.json")))!.AsObject();
        var decrypt = vector["steps"]!.AsArray().Select(s => s!.AsObject()).Last(s => (string)s["action"]! == "decrypt");
        var plaintext = (string)decrypt["plaintext"]!;
        decrypt["plaintext"] = (plaintext[0] == '0' ? "1" : "0") + plaintext[1..];
        var path = Path.Combine(Path.GetTempPath(), $"signalsharp-vector-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, vector.ToJsonString());
        try
        {
            var (exitCode, _, stderr) = await RunReplayAsync(path);
            Assert.Equal(1, exitCode);
            Assert.Contains("the vector says", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("ratchet.dh")]
    [InlineData("message.mac_key")]
    [InlineData("spqr.message_key")]
    [InlineData("spqr.kem_shared_secret")]
    [InlineData("spqr.chain_a2b_key")]
    public async Task TheKeyedCheckFailsWhenARecordedIntermediateIsWrong(string name)
    {
        var vector = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(VectorSet.Folder, "session-ping-pong-spqr-epoch.json")))!.AsObject();
        // The last occurrence is far past Bob's first decryption, the only one libsignal's sessions replay.
        var entry = vector["steps"]!.AsArray().Select(s => s!.AsObject())
            .SelectMany(s => s["trace"]?.AsArray().Select(t => t!.AsObject()) ?? [])
            .Last(t => (string)t["name"]! == name);
        var value = (string)entry["value"]!;
        entry["value"] = (value[0] == '0' ? "1" : "0") + value[1..];
        var path = Path.Combine(Path.GetTempPath(), $"signalsharp-vector-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, vector.ToJsonString());
        try
        {
            var (exitCode, _, stderr) = await RunReplayAsync(path);
            Assert.Equal(1, exitCode);
            Assert.Contains("keyed check", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task TheReplayFailsWhenTheRecordedServerSplitDiffersFromLibsignals()
    {
        var vector = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(VectorSet.Folder, "sealed-sender.json")))!.AsObject();
        var split = vector["steps"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string)s["action"]! == "server_split");
        var recipient = split["recipients"]![0]!.AsObject();
        var message = (string)recipient["message"]!;
        recipient["message"] = message[..^1] + (message[^1] == '0' ? "1" : "0");
        var path = Path.Combine(Path.GetTempPath(), $"signalsharp-vector-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, vector.ToJsonString());
        try
        {
            var (exitCode, _, stderr) = await RunReplayAsync(path);
            Assert.Equal(1, exitCode);
            Assert.Contains("split", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The receiver's decryptions up to its first own encryption: from then on its state holds keys it generated
    /// itself, which libsignal cannot be given.
    /// </summary>
    private static int ReplayableDecryptions(JsonObject vector)
    {
        var steps = vector["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var receiver = (string)steps.First(s => (string)s["action"]! == "decrypt")["party"]!;
        return steps.Where(s => (string)s["party"]! == receiver)
            .TakeWhile(s => (string)s["action"]! != "encrypt")
            .Count(s => (string)s["action"]! == "decrypt");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunReplayAsync(string target)
    {
        var folder = RepoPaths.NodeFolder;
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@signalapp", "libsignal-client")))
        {
            throw new InvalidOperationException($"The reference peer is not installed: run `npm ci` in {folder} (.ci/run does this).");
        }

        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("replay-vectors.mjs");
        psi.ArgumentList.Add(target);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
