using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Spqr;

namespace SignalSharp.TestVectors;

/// <summary>The parsed fields of each message kind, so a reviewer can check a parser without writing one first.</summary>
internal static class MessageFields
{
    public static JsonObject Of(PreKeySignalMessage message) => new()
    {
        ["version"] = message.MessageVersion,
        ["registrationId"] = message.RegistrationId,
        ["preKeyId"] = message.PreKeyId,
        ["signedPreKeyId"] = message.SignedPreKeyId,
        ["kyberPreKeyId"] = message.KyberPreKeyId,
        ["kyberCiphertext"] = Hex.Of(message.KyberCiphertextSpan),
        ["baseKey"] = Hex.Of(message.BaseKey.Serialize()),
        ["identityKey"] = Hex.Of(message.IdentityKey.Serialize()),
        ["message"] = Of(message.Message),
    };

    public static JsonObject Of(SignalMessage message)
    {
        var serialized = message.Serialize();
        var fields = new JsonObject
        {
            ["bytes"] = Hex.Of(serialized),
            ["version"] = message.MessageVersion,
            ["ratchetKey"] = Hex.Of(message.RatchetKey.Serialize()),
            ["counter"] = message.Counter,
            ["previousCounter"] = message.PreviousCounter,
            ["ciphertext"] = Hex.Of(message.CiphertextSpan),
        };
        if (message.HasAddresses)
        {
            fields["addresses"] = Hex.Of(message.AddressesSpan);
        }

        fields["pqRatchet"] = OfSpqr(message.PqRatchetSpan);
        fields["mac"] = Hex.Of(serialized.AsSpan(serialized.Length - SignalMessage.MacLength));
        return fields;
    }

    public static JsonObject Of(SenderKeyDistributionMessage message) => new()
    {
        ["version"] = message.MessageVersion,
        ["distributionId"] = message.DistributionId.ToString(),
        ["chainId"] = message.ChainId,
        ["iteration"] = message.Iteration,
        ["chainKey"] = Hex.Of(message.ChainKey),
        ["signingKey"] = Hex.Of(message.SigningKey.Serialize()),
    };

    public static JsonObject Of(SenderKeyMessage message)
    {
        var serialized = message.Serialize();
        return new JsonObject
        {
            ["version"] = message.MessageVersion,
            ["distributionId"] = message.DistributionId.ToString(),
            ["chainId"] = message.ChainId,
            ["iteration"] = message.Iteration,
            ["ciphertext"] = Hex.Of(message.Ciphertext.Span),
            ["signature"] = Hex.Of(serialized.AsSpan(serialized.Length - SenderKeyMessage.SignatureLength)),
        };
    }

    private static JsonObject OfSpqr(ReadOnlySpan<byte> bytes)
    {
        var parsed = SpqrMessage.Parse(bytes);
        var fields = new JsonObject
        {
            ["bytes"] = Hex.Of(bytes),
            ["epoch"] = parsed.Epoch,
            ["index"] = parsed.Index,
            ["type"] = parsed.Type.ToString(),
        };
        if (parsed.Chunk is { } chunk)
        {
            fields["chunkIndex"] = chunk.Index;
            fields["chunkData"] = Hex.Of(chunk.Data);
        }

        return fields;
    }
}
