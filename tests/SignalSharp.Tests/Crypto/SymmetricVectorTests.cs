using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Crypto;

/// <summary>
/// Known answers for the symmetric helpers. AES vectors: libsignal's rust/crypto/src/aes_cbc.rs and
/// rust/protocol/src/crypto.rs tests (wire-facts §13); HKDF: RFC 5869 appendix A, cases 1–3.
/// </summary>
public class SymmetricVectorTests
{
    [Fact]
    public void AesCbcMatchesLibsignalVector()
    {
        var key = Convert.FromHexString("4e22eb16d964779994222e82192ce9f747da72dc4abe49dfdeeb71d0ffe3796e");
        var iv = Convert.FromHexString("6f8a557ddc0a140c878063a6d5f31d3d");
        var pt = Convert.FromHexString("30736294a124482a4159");
        var ct = Aes256Cbc.Encrypt(key, iv, pt);
        Assert.Equal("dd3f573ab4508b9ed0e45e0baf5608f3", Convert.ToHexStringLower(ct));
        Assert.Equal(pt, Aes256Cbc.Decrypt(key, iv, ct));
    }

    [Fact]
    public void AesCbcRejectsBadLengthsAndPaddingWithTypedErrors()
    {
        var key = new byte[32];
        var iv = new byte[16];
        Assert.Throws<InvalidMessageException>(() => Aes256Cbc.Decrypt(key, iv, Array.Empty<byte>()));
        Assert.Throws<InvalidMessageException>(() => Aes256Cbc.Decrypt(key, iv, new byte[15]));
        // A block that decrypts to garbage padding (overwhelmingly likely for a random block).
        var bad = Aes256Cbc.Encrypt(key, iv, new byte[16]);
        bad[^1] ^= 0x5A;
        bad[^17] ^= 0x5A;
        Assert.Throws<InvalidMessageException>(() => Aes256Cbc.Decrypt(key, iv, bad.AsSpan(0, 16)));
        Assert.Throws<InvalidKeyException>(() => Aes256Cbc.Encrypt(new byte[31], iv, new byte[1]));
        Assert.Throws<InvalidKeyException>(() => Aes256Cbc.Encrypt(key, new byte[8], new byte[1]));
    }

    [Fact]
    public void AesCtrMatchesLibsignalVector()
    {
        var key = Convert.FromHexString("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4");
        var input = new byte[35];
        var output = new byte[35];
        Aes256Ctr.Transform(key, new byte[12], 0, input, output);
        Assert.Equal("e568f68194cf76d6174d4cc04310a85491151e5d0b7a1f1bc0d7acd0ae3e51e4170e23", Convert.ToHexStringLower(output));
        var back = new byte[35];
        Aes256Ctr.Transform(key, new byte[12], 0, output, back);
        Assert.Equal(input, back);
    }

    [Theory]
    [InlineData(
        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
        "000102030405060708090a0b0c",
        "f0f1f2f3f4f5f6f7f8f9",
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")]
    [InlineData(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
        "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
        "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87")]
    [InlineData(
        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
        "",
        "",
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")]
    public void HkdfMatchesRfc5869(string ikm, string salt, string info, string okm)
    {
        var expected = Convert.FromHexString(okm);
        var actual = SignalHkdf.DeriveKey(Convert.FromHexString(ikm), Convert.FromHexString(salt), Convert.FromHexString(info), expected.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void HkdfEmptySaltEqualsThirtyTwoZeroBytes()
    {
        var ikm = new byte[] { 1, 2, 3 };
        Assert.Equal(
            SignalHkdf.DeriveKey(ikm, ReadOnlySpan<byte>.Empty, "x"u8, 64),
            SignalHkdf.DeriveKey(ikm, new byte[32], "x"u8, 64));
    }

    [Fact]
    public void MacPairFromOneKeyedContextMatchesRfc4231()
    {
        // RFC 4231 test case 1 (key 0x0b × 20, "Hi There") for the first tag; the second data of the pair must not
        // see the first (the context is reset between them), so it is compared with a separate one-shot MAC.
        var key = Enumerable.Repeat((byte)0x0b, 20).ToArray();
        var first = new byte[32];
        var second = new byte[32];
        HmacSha256.ComputePair(key, "Hi There"u8, first, "what do ya want for nothing?"u8, second);
        Assert.Equal("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", Convert.ToHexStringLower(first));
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(key, "what do ya want for nothing?"u8.ToArray()), second);
    }

    [Fact]
    public void TruncatedMacComparisonAcceptsOnlyMatchingPrefixes()
    {
        var tag = HmacSha256.Compute(new byte[32], "data"u8);
        Assert.True(HmacSha256.TagsEqual(tag, tag.AsSpan(0, 8)));
        var wrong = tag.AsSpan(0, 8).ToArray();
        wrong[7] ^= 1;
        Assert.False(HmacSha256.TagsEqual(tag, wrong));
        Assert.False(HmacSha256.TagsEqual(tag, ReadOnlySpan<byte>.Empty));
        Assert.False(HmacSha256.TagsEqual(tag.AsSpan(0, 8), tag));
    }
}
