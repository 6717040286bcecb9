using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Ratchet;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>Double-Ratchet KDFs against the known answers of wire facts §13 and the formulas of §4.</summary>
public class RatchetKdfTests
{
    [Fact]
    public void ChainKeyDerivationMatchesLibsignalVector()
    {
        // libsignal rust/protocol/src/ratchet/keys.rs test_chain_key_derivation (no SPQR salt), facts §13.
        var chainKey = Convert.FromHexString("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f");
        Span<byte> seed = stackalloc byte[ChainKdf.KeySize];
        var next = ChainKdf.Step(chainKey, seed);
        Span<byte> keys = stackalloc byte[MessageKeys.Size];
        MessageKeys.Derive(seed, [], keys);
        Assert.Equal("bf51e9d75e0e31031051f82a2491ffc084fa298b7793bd9db620056febf45217", Convert.ToHexStringLower(MessageKeys.CipherKeyOf(keys)));
        Assert.Equal("c6c77d6a73a354337a56435e34607dfe48e3ace14e77314dc6abc172e7a7030b", Convert.ToHexStringLower(MessageKeys.MacKeyOf(keys)));
        Assert.Equal("afa8207986b692a116d4b40bbff72d6c", Convert.ToHexStringLower(MessageKeys.IvOf(keys)));
        Assert.Equal("28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d", Convert.ToHexStringLower(next));
    }

    [Fact]
    public void ChainStepIsHmacOfOneAndTwoInBothForms()
    {
        // The shared-context step the ratchet uses per message and the allocation-free step used for long walks
        // both equal HMAC(chainKey, 0x01) and HMAC(chainKey, 0x02).
        var chainKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        Span<byte> seed = stackalloc byte[ChainKdf.KeySize];
        var next = ChainKdf.Step(chainKey, seed);
        Assert.Equal(HMACSHA256.HashData(chainKey, new byte[] { 0x01 }), seed.ToArray());
        Assert.Equal(HMACSHA256.HashData(chainKey, new byte[] { 0x02 }), next);
        Span<byte> seedCopy = stackalloc byte[ChainKdf.KeySize];
        Span<byte> nextCopy = stackalloc byte[ChainKdf.KeySize];
        ChainKdf.Step(chainKey, seedCopy, nextCopy);
        Assert.Equal(seed.ToArray(), seedCopy.ToArray());
        Assert.Equal(next, nextCopy.ToArray());
    }

    [Fact]
    public void SpqrKeyIsTheHkdfSaltOfTheMessageKeys()
    {
        var seed = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var salt = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        var keys = new byte[MessageKeys.Size];
        MessageKeys.Derive(seed, salt, keys);
        var expected = SignalHkdf.DeriveKey(seed, salt, "WhisperMessageKeys"u8, 80);
        Assert.Equal(expected[..32], MessageKeys.CipherKeyOf(keys).ToArray());
        Assert.Equal(expected[32..64], MessageKeys.MacKeyOf(keys).ToArray());
        Assert.Equal(expected[64..], MessageKeys.IvOf(keys).ToArray());
        var unsalted = new byte[MessageKeys.Size];
        MessageKeys.Derive(seed, [], unsalted);
        Assert.NotEqual(unsalted, keys);
    }

    [Fact]
    public void RootStepIsHkdfOverTheAgreementSaltedWithTheRoot()
    {
        using var ours = EcPrivateKey.Generate();
        using var theirs = EcPrivateKey.Generate();
        var root = new byte[32];
        root[0] = 7;
        var (newRoot, chain) = RootKdf.Step(root, ours, theirs.PublicKey);
        var expected = SignalHkdf.DeriveKey(theirs.CalculateAgreement(ours.PublicKey), root, "WhisperRatchet"u8, 64);
        Assert.Equal(expected[..32], newRoot);
        Assert.Equal(expected[32..], chain);
    }
}
