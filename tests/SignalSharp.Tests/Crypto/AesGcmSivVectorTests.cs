using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Crypto;

/// <summary>
/// AES-256-GCM-SIV pinned by RFC 8452 Appendix C.2 (AEAD_AES_256_GCM_SIV) and C.3 (counter wrap), POLYVAL's two
/// code paths against each other, and random inputs against BouncyCastle's independent implementation.
/// </summary>
public class AesGcmSivVectorTests
{
    private const string K1 = "0100000000000000000000000000000000000000000000000000000000000000";
    private const string N1 = "030000000000000000000000";

    public static TheoryData<string, string, string, string, string> Rfc8452 => new()
    {
        { K1, N1, "", "", "07f5f4169bbf55a8400cd47ea6fd400f" },
        { K1, N1, "0100000000000000", "", "c2ef328e5c71c83b843122130f7364b761e0b97427e3df28" },
        { K1, N1, "01000000000000000000000000000000", "", "85a01b63025ba19b7fd3ddfc033b3e76c9eac6fa700942702e90862383c6c366" },
        {
            K1, N1, "010000000000000000000000000000000200000000000000000000000000000003000000000000000000000000000000", "",
            "c00d121893a9fa603f48ccc1ca3c57ce7499245ea0046db16c53c7c66fe717e39cf6c748837b61f6ee3adcee17534ed5790bc96880a99ba804bd12c0e6a22cc4"
        },
        { K1, N1, "0200000000000000", "01", "1de22967237a813291213f267e3b452f02d01ae33e4ec854" },
        { K1, N1, "02000000", "010000000000000000000000", "22b3f4cd1835e517741dfddccfa07fa4661b74cf" },
        { K1, N1, "030000000000000000000000000000000400", "0100000000000000000000000000000002000000", "462401724b5ce6588d5a54aae5375513a075cfcdf5042112aa29685c912fc2056543" },
        { "e66021d5eb8e4f4066d4adb9c33560e4f46e44bb3da0015c94f7088736864200", "e0eaf5284d884a0e77d31646", "", "", "169fbb2fbf389a995f6390af22228a62" },
        { "bae8e37fc83441b16034566b7a806c46bb91c3c5aedb64a6c590bc84d1a5e269", "e4b47801afc0577e34699b9e", "671fdd", "4fbdc66f14", "0eaccb93da9bb81333aee0c785b240d319719d" },
        {
            "3c535de192eaed3822a2fbbe2ca9dfc88255e14a661b8aa82cc54236093bbc23", "688089e55540db1872504e1c", "ced532ce4159b035277d4dfbb7db62968b13cd4eec",
            "734320ccc9d9bbbb19cb81b2af4ecbc3e72834321f7aa0f70b7282b4f33df23f167541",
            "626660c26ea6612fb17ad91e8e767639edd6c9faee9d6c7029675b89eaf4ba1ded1a286594"
        },
        // C.3: the 32-bit counter wraps from 0xffffffff to 0.
        {
            "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
            "000000000000000000000000000000004db923dc793ee6497c76dcc03a98e108", "",
            "f3f80f2cf0cb2dd9c5984fcda908456cc537703b5ba70324a6793a7bf218d3eaffffffff000000000000000000000000"
        },
        {
            "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
            "eb3640277c7ffd1303c7a542d02d3e4c0000000000000000", "",
            "18ce4f0b8cb4d0cac65fea8f79257b20888e53e72299e56dffffffff000000000000000000000000"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8452))]
    public void EncryptAndDecryptMatchRfc8452(string key, string nonce, string plaintext, string aad, string expected)
    {
        byte[] k = Convert.FromHexString(key), n = Convert.FromHexString(nonce), p = Convert.FromHexString(plaintext), a = Convert.FromHexString(aad);
        byte[] sealedBytes = Aes256GcmSiv.Encrypt(k, n, a, p);
        Assert.Equal(expected, Convert.ToHexStringLower(sealedBytes));
        var opened = new byte[p.Length];
        Assert.True(Aes256GcmSiv.TryDecrypt(k, n, a, sealedBytes, opened));
        Assert.Equal(p, opened);
    }

    [Fact]
    public void EveryFlippedBitAndWrongAssociatedDataAreRejectedWithTheOutputCleared()
    {
        byte[] key = Convert.FromHexString(K1), nonce = Convert.FromHexString(N1), plaintext = "sealed sender v2"u8.ToArray();
        byte[] sealedBytes = Aes256GcmSiv.Encrypt(key, nonce, "ad"u8, plaintext);
        var output = new byte[plaintext.Length];
        for (int bit = 0; bit < sealedBytes.Length * 8; bit++)
        {
            sealedBytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Aes256GcmSiv.TryDecrypt(key, nonce, "ad"u8, sealedBytes, output));
            Assert.All(output, b => Assert.Equal(0, b));
            sealedBytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.False(Aes256GcmSiv.TryDecrypt(key, nonce, "ae"u8, sealedBytes, output));
        Assert.False(Aes256GcmSiv.TryDecrypt(key, nonce, default, new byte[15], Span<byte>.Empty));
        Assert.Throws<InvalidKeyException>(() => Aes256GcmSiv.Encrypt(new byte[16], nonce, default, plaintext));
        Assert.Throws<InvalidKeyException>(() => Aes256GcmSiv.Encrypt(key, new byte[16], default, plaintext));
    }

    [Fact]
    public void PortablePolyvalProductEqualsTheCarrylessInstructionPath()
    {
        var random = new Random(8452);
        Span<byte> words = stackalloc byte[32];
        for (int i = 0; i < 2000; i++)
        {
            random.NextBytes(words);
            ulong aLo = BitConverter.ToUInt64(words[..8]), aHi = BitConverter.ToUInt64(words[8..16]);
            ulong bLo = BitConverter.ToUInt64(words[16..24]), bHi = BitConverter.ToUInt64(words[24..]);
            Assert.Equal(Polyval.DotPortable(aLo, aHi, bLo, bHi), Polyval.Dot(aLo, aHi, bLo, bHi));
        }

        // All-ones operands: the largest column sums of the sparse-mask multiplication.
        Assert.Equal(Polyval.DotPortable(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue), Polyval.Dot(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue));
        for (int bit = 0; bit < 64; bit++)
        {
            var (lo, hi) = Polyval.ClMul(1UL << bit, 1UL << 63);
            Assert.Equal(bit + 63 < 64 ? 1UL << (bit + 63) : 0, lo);
            Assert.Equal(bit + 63 >= 64 ? 1UL << (bit - 1) : 0, hi);
        }
    }

    [Fact]
    public void RandomMessagesMatchBouncyCastle()
    {
        var random = new Random(2019);
        foreach (int length in new[] { 0, 1, 15, 16, 17, 100, 1023, 1024, 1025, 5000 })
        {
            byte[] key = new byte[32], nonce = new byte[12], aad = new byte[length % 37], plaintext = new byte[length];
            random.NextBytes(key);
            random.NextBytes(nonce);
            random.NextBytes(aad);
            random.NextBytes(plaintext);
            var cipher = new GcmSivBlockCipher(new AesEngine());
            cipher.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce, aad));
            var expected = new byte[cipher.GetOutputSize(plaintext.Length)];
            int written = cipher.ProcessBytes(plaintext, 0, plaintext.Length, expected, 0);
            cipher.DoFinal(expected, written);
            Assert.Equal(expected, Aes256GcmSiv.Encrypt(key, nonce, aad, plaintext));
        }
    }
}
