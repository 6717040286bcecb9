using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Tests.Curves;
using Xunit;

namespace SignalSharp.Tests.Keys;

/// <summary>
/// Signed and Kyber pre-key records cross-parse between SignalSharp and the official libsignal 0.103
/// (npm @signalapp/libsignal-client, through tests/node/primitives.mjs): same id, timestamp, keys, and a
/// signature by the identity key that verifies on both sides.
/// </summary>
public class PreKeyRecordLibsignalInteropTests(LibsignalPrimitivesPeer peer) : IClassFixture<LibsignalPrimitivesPeer>
{
    private const int Count = 10;
    private const ulong Timestamp = 1_764_115_200_123;

    private static string B64(ReadOnlySpan<byte> b) => Convert.ToBase64String(b);

    private static byte[] Bin(JsonNode? n) => Convert.FromBase64String(n!.GetValue<string>());

    [Theory]
    [InlineData("parseSignedPreKeyRecord", false)]
    [InlineData("parseKyberPreKeyRecord", false)]
    [InlineData("parseKyberPreKeyRecord", true)]
    public void OurPreKeyRecordsParseInLibsignalWithValidSignatures(string op, bool lastResort)
    {
        using var identity = IdentityKeyPair.Generate();
        var items = new JsonArray();
        var expected = new List<(uint Id, byte[] Pub, byte[] Priv)>();
        for (uint id = 1; id <= Count; id++)
        {
            if (op == "parseSignedPreKeyRecord")
            {
                using var record = SignedPreKeyRecord.Generate(identity, id, Timestamp);
                expected.Add((id, record.PublicKey.Serialize(), record.KeyPair.PrivateKey.Serialize()));
                items.Add(new JsonObject { ["record"] = B64(record.Serialize()), ["identityPublic"] = B64(identity.IdentityKey.Serialize()) });
            }
            else
            {
                using var record = KyberPreKeyRecord.Generate(identity, id, Timestamp, lastResort);
                expected.Add((id, record.PublicKey.Serialize(), record.KeyPair.SecretKey.Serialize()));
                items.Add(new JsonObject { ["record"] = B64(record.Serialize()), ["identityPublic"] = B64(identity.IdentityKey.Serialize()) });
            }
        }

        var results = peer.Process.Call(new JsonObject { ["op"] = op, ["items"] = items })["results"]!.AsArray();
        for (int i = 0; i < Count; i++)
        {
            var r = results[i]!;
            Assert.True(r["ok"]!.GetValue<bool>(), r.ToJsonString());
            Assert.Equal(expected[i].Id, r["id"]!.GetValue<uint>());
            Assert.Equal(Timestamp, r["timestamp"]!.GetValue<ulong>());
            Assert.Equal(expected[i].Pub, Bin(r["pub"]));
            Assert.Equal(expected[i].Priv, Bin(r["priv"]));
            Assert.True(r["signatureValid"]!.GetValue<bool>());
        }
    }

    [Fact]
    public void LibsignalSignedPreKeyRecordsParseInSignalSharpAndVerify()
    {
        using var identity = IdentityKeyPair.Generate();
        var records = MakeRecords("makeSignedPreKeyRecord", identity);
        for (int i = 0; i < Count; i++)
        {
            using var record = SignedPreKeyRecord.Deserialize(records[i]);
            Assert.Equal((uint)(i + 1), record.Id);
            Assert.Equal(Timestamp, record.Timestamp);
            Assert.True(identity.IdentityKey.VerifySignature(record.PublicKey.Serialize(), record.Signature));
            Assert.Equal(record.PublicKey, record.KeyPair.PrivateKey.PublicKey);
        }
    }

    [Fact]
    public void LibsignalKyberPreKeyRecordsParseInSignalSharpVerifyAndDecapsulate()
    {
        using var identity = IdentityKeyPair.Generate();
        var records = MakeRecords("makeKyberPreKeyRecord", identity);
        for (int i = 0; i < Count; i++)
        {
            using var record = KyberPreKeyRecord.Deserialize(records[i]);
            Assert.Equal((uint)(i + 1), record.Id);
            Assert.Equal(Timestamp, record.Timestamp);
            Assert.Equal(KemType.Kyber1024, record.PublicKey.Type);
            Assert.True(identity.IdentityKey.VerifySignature(record.PublicKey.Serialize(), record.Signature));
            using var encapsulation = record.PublicKey.Encapsulate();
            Assert.Equal(encapsulation.SharedSecret, record.KeyPair.SecretKey.Decapsulate(encapsulation.Ciphertext));
        }
    }

    private List<byte[]> MakeRecords(string op, IdentityKeyPair identity)
    {
        var items = new JsonArray();
        for (uint id = 1; id <= Count; id++)
        {
            items.Add(new JsonObject { ["identity"] = B64(identity.Serialize()), ["id"] = id, ["timestamp"] = Timestamp });
        }

        return peer.Process.Call(new JsonObject { ["op"] = op, ["items"] = items })["records"]!.AsArray().Select(Bin).ToList();
    }
}
