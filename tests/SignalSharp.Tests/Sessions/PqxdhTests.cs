using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Handshake;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>PQXDH (facts §3.2): both sides derive the same root, chain and SPQR keys from 3 or 4 DHs plus Kyber.</summary>
public class PqxdhTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void InitiatorAndResponderAgree(bool withOneTimePreKey)
    {
        using var aliceIdentity = EcPrivateKey.Generate();
        using var aliceBase = EcPrivateKey.Generate();
        using var bobIdentity = EcPrivateKey.Generate();
        using var bobSigned = EcPrivateKey.Generate();
        using var bobOneTime = EcPrivateKey.Generate();
        using var bobKyber = KemKeyPair.Generate();
        using var encapsulation = bobKyber.PublicKey.Encapsulate();

        using var alice = Pqxdh.Initiate(aliceIdentity, aliceBase, new IdentityKey(bobIdentity.PublicKey), bobSigned.PublicKey, withOneTimePreKey ? bobOneTime.PublicKey : null, encapsulation.SharedSecret);
        var kyberSecret = bobKyber.SecretKey.Decapsulate(encapsulation.Ciphertext);
        using var bob = Pqxdh.Respond(bobIdentity, bobSigned, withOneTimePreKey ? bobOneTime : null, new IdentityKey(aliceIdentity.PublicKey), aliceBase.PublicKey, kyberSecret);

        Assert.Equal(alice.RootKey, bob.RootKey);
        Assert.Equal(alice.ChainKey, bob.ChainKey);
        Assert.Equal(alice.SpqrAuthKey, bob.SpqrAuthKey);
        Assert.NotEqual(alice.RootKey, alice.ChainKey);
    }

    [Fact]
    public void KdfInputIsFfPrefixThenDhsThenKyberSecret()
    {
        using var aliceIdentity = EcPrivateKey.Generate();
        using var aliceBase = EcPrivateKey.Generate();
        using var bobIdentity = EcPrivateKey.Generate();
        using var bobSigned = EcPrivateKey.Generate();
        using var bobOneTime = EcPrivateKey.Generate();
        var kyber = Enumerable.Repeat((byte)0xAB, 32).ToArray();

        byte[] secret = [
            .. Enumerable.Repeat((byte)0xFF, 32),
            .. aliceIdentity.CalculateAgreement(bobSigned.PublicKey),
            .. aliceBase.CalculateAgreement(bobIdentity.PublicKey),
            .. aliceBase.CalculateAgreement(bobSigned.PublicKey),
            .. aliceBase.CalculateAgreement(bobOneTime.PublicKey),
            .. kyber,
        ];
        var okm = SignalHkdf.DeriveKey(secret, [], "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"u8, 96);
        using var keys = Pqxdh.Initiate(aliceIdentity, aliceBase, new IdentityKey(bobIdentity.PublicKey), bobSigned.PublicKey, bobOneTime.PublicKey, kyber);
        Assert.Equal(okm[..32], keys.RootKey);
        Assert.Equal(okm[32..64], keys.ChainKey);
        Assert.Equal(okm[64..], keys.SpqrAuthKey);

        // Without the one-time pre-key the fourth DH is simply absent.
        using var threeDh = Pqxdh.Initiate(aliceIdentity, aliceBase, new IdentityKey(bobIdentity.PublicKey), bobSigned.PublicKey, null, kyber);
        byte[] secret3 = [.. secret[..(32 + (3 * 32))], .. kyber];
        Assert.Equal(SignalHkdf.DeriveKey(secret3, [], "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"u8, 96)[..32], threeDh.RootKey);
    }
}
