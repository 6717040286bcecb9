using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Fingerprints;

namespace SignalSharp.InteropDriver;

/// <summary>The sender-key ops and the fingerprint op.</summary>
internal sealed partial class Driver
{
    partial void RegisterMoreOps()
    {
        _ops["sender_key_distribution"] = SenderKeyDistributionAsync;
        _ops["process_sender_key_distribution"] = ProcessSenderKeyDistributionAsync;
        _ops["group_encrypt"] = GroupEncryptAsync;
        _ops["group_decrypt"] = GroupDecryptAsync;
        _ops["fingerprint"] = r => Task.FromResult(Fingerprint(r));
    }

    private static Guid DistributionId(JsonObject r)
        => Guid.TryParse(Args.String(r, "distributionId"), out var id) ? id : throw DriverException.BadRequest("\"distributionId\" must be a UUID string");

    private async Task<JsonObject> SenderKeyDistributionAsync(JsonObject r)
    {
        var c = Client(r);
        var message = await c.GroupCipher.CreateDistributionMessageAsync(c.Address, DistributionId(r));
        return new JsonObject { ["message"] = B64(message.Serialize()) };
    }

    private async Task<JsonObject> ProcessSenderKeyDistributionAsync(JsonObject r)
    {
        var c = Client(r);
        var sender = Args.Address(r, "sender");
        byte[] message = Args.Bytes(r, "message");
        await c.GroupCipher.ProcessDistributionMessageAsync(sender, message);
        return [];
    }

    private async Task<JsonObject> GroupEncryptAsync(JsonObject r)
    {
        var c = Client(r);
        var id = DistributionId(r);
        byte[] plaintext = Args.Bytes(r, "plaintext");
        var message = await c.GroupCipher.EncryptAsync(c.Address, id, plaintext);
        return new JsonObject { ["body"] = B64(message.Serialize()) };
    }

    private async Task<JsonObject> GroupDecryptAsync(JsonObject r)
    {
        var c = Client(r);
        var sender = Args.Address(r, "sender");
        byte[] body = Args.Bytes(r, "body");
        return new JsonObject { ["plaintext"] = B64(await c.GroupCipher.DecryptAsync(sender, body)) };
    }

    private JsonObject Fingerprint(JsonObject r)
    {
        var c = Client(r);
        byte[] localId = Args.Bytes(r, "localId");
        byte[] remoteId = Args.Bytes(r, "remoteId");
        var remoteKey = IdentityKey.Deserialize(Args.Bytes(r, "remoteIdentityKey"));
        var localKey = r["localIdentityKey"] is null ? c.Identity.IdentityKey : IdentityKey.Deserialize(Args.Bytes(r, "localIdentityKey"));
        int iterations = (int)(Args.OptionalInt(r, "iterations", NumericFingerprintGenerator.MinIterations, NumericFingerprintGenerator.MaxIterations) ?? NumericFingerprintGenerator.DefaultIterations);
        int version = (int)(Args.OptionalInt(r, "version", 0, int.MaxValue) ?? 2);
        var fingerprint = new NumericFingerprintGenerator(iterations).CreateFor(version, localId, localKey, remoteId, remoteKey);
        return new JsonObject
        {
            ["displayable"] = fingerprint.DisplayableFingerprint.DisplayText,
            ["scannable"] = B64(fingerprint.ScannableFingerprint.Serialize()),
        };
    }
}
