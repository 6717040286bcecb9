using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Crypto;

/// <summary>Boundaries of the symmetric helpers that the known-answer tests do not reach (found by mutation testing).</summary>
public class SymmetricEdgeCaseTests
{
    [Fact]
    public void TagComparisonAcceptsTheFullTagAndEveryPrefixButNothingLongerOrEmpty()
    {
        var tag = HmacSha256.Compute(new byte[32], "message"u8);

        Assert.True(HmacSha256.TagsEqual(tag, tag));
        Assert.True(HmacSha256.TagsEqual(tag, tag.AsSpan(0, 8)));
        Assert.False(HmacSha256.TagsEqual(tag, [.. tag, 0]));
        Assert.False(HmacSha256.TagsEqual(tag, ReadOnlySpan<byte>.Empty));
        var flipped = tag.AsSpan(0, 8).ToArray();
        flipped[7] ^= 1;
        Assert.False(HmacSha256.TagsEqual(tag, flipped));
    }

    [Fact]
    public void AesCbcDecryptRejectsWrongKeyAndIvSizesWithTypedErrors()
    {
        var ciphertext = Aes256Cbc.Encrypt(new byte[32], new byte[16], new byte[5]);

        Assert.Throws<InvalidKeyException>(() => Aes256Cbc.Decrypt(new byte[16], new byte[16], ciphertext));
        Assert.Throws<InvalidKeyException>(() => Aes256Cbc.Decrypt(new byte[32], new byte[12], ciphertext));
    }
}
