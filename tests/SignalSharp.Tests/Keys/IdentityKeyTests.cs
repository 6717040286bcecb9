using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Keys;

/// <summary>IdentityKey and IdentityKeyPair encodings (wire facts §1.1: protobuf {1: public 33, 2: private 32}).</summary>
public class IdentityKeyTests
{
    private const string SigningPrivate = "c097248412e58bf05df487968205132794178e367637f5818f81e0e6ce73e865";
    private const string SigningPublic = "ab7e717d4a163b7d9a1d8071dfe9dcf8cdcd1cea3339b6356be84d887e322c64";

    [Fact]
    public void IdentityKeyPairSerializesAsTwoProtobufBytesFields()
    {
        using var pair = new IdentityKeyPair(EcPrivateKey.Deserialize(Convert.FromHexString(SigningPrivate)));
        var bytes = pair.Serialize();
        Assert.Equal("0a2105" + SigningPublic + "1220" + SigningPrivate, Convert.ToHexStringLower(bytes));
        using var back = IdentityKeyPair.Deserialize(bytes);
        Assert.Equal(pair.IdentityKey, back.IdentityKey);
        Assert.Equal(pair.PrivateKey.Serialize(), back.PrivateKey.Serialize());
    }

    [Fact]
    public void IdentityKeyPairDeserializeAcceptsReorderedAndUnknownFields()
    {
        var hex = "1220" + SigningPrivate + "18 05 0a2105" + SigningPublic + "2203010203" + "2d01020304";
        using var pair = IdentityKeyPair.Deserialize(Convert.FromHexString(hex.Replace(" ", "")));
        Assert.Equal(SigningPublic, pair.IdentityKey.ToString());
    }

    [Fact]
    public void IdentityKeyPairDeserializeRejectsMalformedInput()
    {
        var good = Convert.FromHexString("0a2105" + SigningPublic + "1220" + SigningPrivate);
        Assert.Throws<InvalidKeyException>(() => IdentityKeyPair.Deserialize(good.AsSpan(0, good.Length - 1)));
        Assert.Throws<InvalidKeyException>(() => IdentityKeyPair.Deserialize(good.AsSpan(0, 35)));
        Assert.Throws<InvalidKeyException>(() => IdentityKeyPair.Deserialize(ReadOnlySpan<byte>.Empty));
        Assert.Throws<InvalidKeyException>(() => IdentityKeyPair.Deserialize(Convert.FromHexString("0a2106" + SigningPublic + "1220" + SigningPrivate)));
        Assert.Throws<InvalidKeyException>(() => IdentityKeyPair.Deserialize(Convert.FromHexString("0a2105" + SigningPublic + "121f" + SigningPrivate[..62])));
        Assert.Throws<InvalidKeyException>(() => IdentityKeyPair.Deserialize(Convert.FromHexString("0805")));
        Assert.Throws<InvalidKeyException>(() => IdentityKeyPair.Deserialize(Convert.FromHexString("ffffffffffffffffffffff01")));
    }

    [Fact]
    public void IdentityKeyRoundTripsAndSignsThroughThePair()
    {
        using var pair = IdentityKeyPair.Generate();
        var serialized = pair.IdentityKey.Serialize();
        Assert.Equal(33, serialized.Length);
        var key = IdentityKey.Deserialize(serialized);
        Assert.Equal(pair.IdentityKey, key);
        Assert.True(key == pair.IdentityKey);
        var sig = pair.Sign("identity"u8);
        Assert.True(key.VerifySignature("identity"u8, sig));
        Assert.False(key.VerifySignature("identitz"u8, sig));
        Assert.Throws<InvalidKeyException>(() => IdentityKey.Deserialize(serialized.AsSpan(0, 32)));
    }

    [Fact]
    public void DisposingThePairWipesItsPrivateKey()
    {
        var pair = IdentityKeyPair.Generate();
        pair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.Serialize());
        Assert.Throws<ObjectDisposedException>(() => pair.Sign([1]));
    }
}
