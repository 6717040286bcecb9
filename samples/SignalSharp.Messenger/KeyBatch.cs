using System.Text.Json.Nodes;
using SignalSharp;

namespace SignalSharp.Messenger;

/// <summary>Public halves of freshly generated pre-keys, as the relay's JSON wants them (the private halves are in the store).</summary>
public sealed class KeyBatch
{
    /// <summary>The signed pre-key, if this batch replaces it.</summary>
    public (uint Id, EcPublicKey Key, byte[] Signature)? SignedPreKey { get; init; }

    /// <summary>The last-resort Kyber key, if this batch replaces it.</summary>
    public (uint Id, KemPublicKey Key, byte[] Signature)? LastResort { get; init; }

    /// <summary>One-time EC pre-keys.</summary>
    public List<(uint Id, EcPublicKey Key)> OneTime { get; } = new();

    /// <summary>One-time Kyber pre-keys.</summary>
    public List<(uint Id, KemPublicKey Key, byte[] Signature)> Kyber { get; } = new();

    /// <summary>The JSON body (fields of <c>PUT /v1/keys</c>).</summary>
    public JsonObject ToJson()
    {
        static string B(byte[] bytes) => Convert.ToBase64String(bytes);
        var json = new JsonObject
        {
            ["oneTimePreKeys"] = new JsonArray(OneTime.Select(k => (JsonNode)new JsonObject { ["keyId"] = k.Id, ["publicKey"] = B(k.Key.Serialize()) }).ToArray()),
            ["kyberPreKeys"] = new JsonArray(Kyber.Select(k => (JsonNode)new JsonObject { ["keyId"] = k.Id, ["publicKey"] = B(k.Key.Serialize()), ["signature"] = B(k.Signature) }).ToArray()),
        };
        if (SignedPreKey is { } signed)
        {
            json["signedPreKey"] = new JsonObject { ["keyId"] = signed.Id, ["publicKey"] = B(signed.Key.Serialize()), ["signature"] = B(signed.Signature) };
        }

        if (LastResort is { } lastResort)
        {
            json["kyberLastResortKey"] = new JsonObject { ["keyId"] = lastResort.Id, ["publicKey"] = B(lastResort.Key.Serialize()), ["signature"] = B(lastResort.Signature) };
        }

        return json;
    }
}
