using System.Security.Cryptography;
using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Crypto;

/// <summary>AES-256-CTR with a 12-byte nonce and a 32-bit big-endian block counter (sealed sender v1's cipher).</summary>
public class Aes256CtrTests
{
    [Fact]
    public void MatchesTheNistCtrVectorWhoseCounterBlockHasANonZeroNonceAndCounter()
    {
        // NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt: initial counter block f0f1…feff = nonce f0…fb ‖ counter fcfdfeff.
        byte[] key = Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        byte[] nonce = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafb");
        byte[] plaintext = Convert.FromHexString(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        byte[] expected = Convert.FromHexString(
            "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
        var output = new byte[plaintext.Length];

        Aes256Ctr.Transform(key, nonce, 0xfcfdfeff, plaintext, output);
        Assert.Equal(expected, output);

        // A partial last block uses only the keystream it needs; decryption is the same operation.
        var back = new byte[37];
        Aes256Ctr.Transform(key, nonce, 0xfcfdfeff, expected.AsSpan(0, 37), back);
        Assert.Equal(plaintext.AsSpan(0, 37).ToArray(), back);
    }

    [Fact]
    public void TheBlockCounterWrapsWithinItsFourBytesAndNeverCarriesIntoTheNonce()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        var output = new byte[32];
        Aes256Ctr.Transform(key, nonce, uint.MaxValue, new byte[32], output);

        using var aes = Aes.Create();
        aes.Key = key;
        byte[] Block(uint counter) => aes.EncryptEcb([.. nonce, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter], PaddingMode.None);
        Assert.Equal([.. Block(uint.MaxValue), .. Block(0)], output);
    }

    [Fact]
    public void WrongKeyOrNonceSizesAreTypedKeyErrorsAndAShortOutputIsAnArgumentError()
    {
        var data = new byte[16];
        Assert.Throws<InvalidKeyException>(() => Aes256Ctr.Transform(new byte[16], new byte[12], 0, data, new byte[16]));
        Assert.Throws<InvalidKeyException>(() => Aes256Ctr.Transform(new byte[33], new byte[12], 0, data, new byte[16]));
        Assert.Throws<InvalidKeyException>(() => Aes256Ctr.Transform(new byte[32], new byte[16], 0, data, new byte[16]));
        Assert.Throws<InvalidKeyException>(() => Aes256Ctr.Transform(new byte[32], new byte[11], 0, data, new byte[16]));
        Assert.Throws<ArgumentException>(() => Aes256Ctr.Transform(new byte[32], new byte[12], 0, data, new byte[15]));
    }
}
