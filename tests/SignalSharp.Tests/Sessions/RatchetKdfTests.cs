using SignalSharp.Crypto;
using SignalSharp.Keys;
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
        using var keys = MessageKeys.Derive(ChainKdf.MessageSeed(chainKey), []);
        Assert.Equal("bf51e9d75e0e31031051f82a2491ffc084fa298b7793bd9db620056febf45217", Convert.ToHexStringLower(keys.CipherKey));
        Assert.Equal("c6c77d6a73a354337a56435e34607dfe48e3ace14e77314dc6abc172e7a7030b", Convert.ToHexStringLower(keys.MacKey));
        Assert.Equal("afa8207986b692a116d4b40bbff72d6c", Convert.ToHexStringLower(keys.Iv));
        Assert.Equal("28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d", Convert.ToHexStringLower(ChainKdf.Next(chainKey)));
    }

    [Fact]
    public void ChainStepGivesTheSeedAndNextKeyOfTheLibsignalVector()
    {
        // The same vector through the combined step the ratchet uses (one keyed HMAC context for both outputs).
        var chainKey = Convert.FromHexString("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f");
        Span<byte> seed = stackalloc byte[ChainKdf.KeySize];
        var next = ChainKdf.Step(chainKey, seed);
        Assert.Equal(ChainKdf.MessageSeed(chainKey), seed.ToArray());
        Assert.Equal("28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d", Convert.ToHexStringLower(next));
        var (seedCopy, nextCopy) = ChainKdf.Step(chainKey);
        Assert.Equal(seed.ToArray(), seedCopy);
        Assert.Equal(next, nextCopy);
        using var keys = MessageKeys.Derive(seedCopy, []);
        Assert.Equal("bf51e9d75e0e31031051f82a2491ffc084fa298b7793bd9db620056febf45217", Convert.ToHexStringLower(keys.CipherKey));
    }

    [Fact]
    public void SpqrKeyIsTheHkdfSaltOfTheMessageKeys()
    {
        var seed = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var salt = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        using var keys = MessageKeys.Derive(seed, salt);
        var expected = SignalHkdf.DeriveKey(seed, salt, "WhisperMessageKeys"u8, 80);
        Assert.Equal(expected[..32], keys.CipherKey.ToArray());
        Assert.Equal(expected[32..64], keys.MacKey.ToArray());
        Assert.Equal(expected[64..], keys.Iv.ToArray());
        using var unsalted = MessageKeys.Derive(seed, []);
        Assert.NotEqual(unsalted.CipherKey.ToArray(), keys.CipherKey.ToArray());
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
