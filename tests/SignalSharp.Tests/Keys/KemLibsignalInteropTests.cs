using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Tests.Lattice;
using Xunit;

namespace SignalSharp.Tests.Keys;

/// <summary>
/// KEM key serialization against libsignal 0.103 (tests/node/kyber.mjs): keys from libsignal's
/// KEMKeyPair.generate() load in KemPublicKey/KemSecretKey and work together, ours load in libsignal's
/// KEMPublicKey/KEMSecretKey.deserialize unchanged, and libsignal refuses the 0x0A type (wire-facts §1.3).
/// </summary>
public class KemLibsignalInteropTests : IClassFixture<KyberPeerFixture>
{
    private readonly KyberPeerFixture _peer;

    public KemLibsignalInteropTests(KyberPeerFixture peer)
    {
        _peer = peer;
    }

    [Fact]
    public void LibsignalKeysLoadAndWorkInOurTypes()
    {
        var keys = _peer.Call(new JsonObject { ["op"] = "libsignal_keygen", ["count"] = 10 })["keys"]!.AsArray();
        foreach (var key in keys)
        {
            byte[] publicBytes = KyberPeerFixture.Bytes(key!["publicKey"]);
            byte[] secretBytes = KyberPeerFixture.Bytes(key["secretKey"]);
            var publicKey = KemPublicKey.Deserialize(publicBytes);
            using var secretKey = KemSecretKey.Deserialize(secretBytes);
            Assert.Equal(KemType.Kyber1024, publicKey.Type);
            Assert.Equal(KemType.Kyber1024, secretKey.Type);
            Assert.Equal(publicBytes, publicKey.Serialize());
            Assert.Equal(secretBytes, secretKey.Serialize());

            // Round-3 secret key layout: cpa-sk(1536) ‖ pk(1568) ‖ SHA3-256(pk) ‖ z.
            Assert.Equal(publicBytes[1..], secretBytes.AsSpan(1 + 1536, 1568).ToArray());
            var pkHash = new byte[32];
            SignalSharp.Lattice.Sha3.Sha3_256(publicBytes.AsSpan(1), default, pkHash);
            Assert.Equal(pkHash, secretBytes.AsSpan(1 + 1536 + 1568, 32).ToArray());

            using var encapsulation = publicKey.Encapsulate();
            Assert.Equal(encapsulation.SharedSecret, secretKey.Decapsulate(encapsulation.Ciphertext));
        }
    }

    [Fact]
    public void OurKeysLoadInLibsignalUnchanged()
    {
        for (int i = 0; i < 5; i++)
        {
            using var pair = KemKeyPair.Generate(KemType.Kyber1024);
            string publicKey = Convert.ToBase64String(pair.PublicKey.Serialize());
            string secretKey = Convert.ToBase64String(pair.SecretKey.Serialize());
            var response = _peer.Call(new JsonObject { ["op"] = "libsignal_reserialize", ["publicKey"] = publicKey, ["secretKey"] = secretKey });
            Assert.Equal(publicKey, response["publicKey"]!.GetValue<string>());
            Assert.Equal(secretKey, response["secretKey"]!.GetValue<string>());
        }
    }

    [Fact]
    public void LibsignalRefusesMlKem1024Keys()
    {
        using var pair = KemKeyPair.Generate(KemType.MlKem1024);
        var response = _peer.Send(new JsonObject { ["op"] = "libsignal_reserialize", ["publicKey"] = Convert.ToBase64String(pair.PublicKey.Serialize()) });
        Assert.False(response["ok"]!.GetValue<bool>());
    }
}
