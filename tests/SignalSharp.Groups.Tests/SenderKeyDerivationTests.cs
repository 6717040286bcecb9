using System.Security.Cryptography;
using System.Text;
using SignalSharp.Groups.Chains;
using Xunit;

namespace SignalSharp.Groups.Tests;

/// <summary>
/// The sender-key chain and message-key formulas of wire-facts §7.3, recomputed here directly with the BCL
/// primitives (an independent derivation, not a call into the code under test).
/// </summary>
public class SenderKeyDerivationTests
{
    private static readonly byte[] Seed = Convert.FromHexString("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f");

    [Fact]
    public void ChainStepsAreHmacOfOneAndTwo()
    {
        using var link = new SenderChainKey(7, Seed);
        var (messageKey, next) = link.Step();
        using (messageKey)
        using (next)
        {
            byte[] seed = HMACSHA256.HashData(Seed, new byte[] { 1 });
            var okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, seed, 48, salt: Array.Empty<byte>(), info: Encoding.ASCII.GetBytes("WhisperGroup"));
            Assert.Equal(7u, messageKey.Iteration);
            Assert.Equal(okm[..16], messageKey.Iv.ToArray());
            Assert.Equal(okm[16..], messageKey.CipherKey.ToArray());
            Assert.Equal(8u, next.Iteration);
            Assert.Equal(HMACSHA256.HashData(Seed, new byte[] { 2 }), next.Key.ToArray());
        }
    }

    [Fact]
    public void MessageKeyPutsTheIvBeforeTheKey()
    {
        var okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, Seed, 48, salt: Array.Empty<byte>(), info: Encoding.ASCII.GetBytes("WhisperGroup"));
        using var key = new SenderMessageKey(0, Seed);
        Assert.Equal(okm[..16], key.Iv.ToArray());
        Assert.Equal(okm[16..], key.CipherKey.ToArray());
    }

    [Fact]
    public void MessageKeyEncryptsWithAesCbc()
    {
        using var key = new SenderMessageKey(0, Seed);
        var plaintext = Encoding.UTF8.GetBytes("hello group");
        using var aes = Aes.Create();
        aes.Key = key.CipherKey.ToArray();
        Assert.Equal(aes.EncryptCbc(plaintext, key.Iv, PaddingMode.PKCS7), key.Encrypt(plaintext));
        Assert.Equal(plaintext, key.Decrypt(key.Encrypt(plaintext)));
    }

    [Fact]
    public void ChainKeyOfWrongLengthIsRejected()
    {
        Assert.Throws<InvalidKeyException>(() => new SenderChainKey(0, new byte[31]));
    }

    [Fact]
    public void ExhaustedChainCannotAdvance()
    {
        using var link = new SenderChainKey(uint.MaxValue, Seed);
        Assert.Throws<InvalidMessageException>(() => link.Step());
    }
}
