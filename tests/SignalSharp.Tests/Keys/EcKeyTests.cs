using SignalSharp;
using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Keys;

/// <summary>Encoding and lifetime rules of the key types (wire facts §1.1).</summary>
public class EcKeyTests
{
    private const string AlicePrivate = "c806439dc9d2c476ffed8f2580c0888d58ab406bf7ae3698879021b96bb4bf59";
    private const string AlicePublic = "1bb75966f2e93a3691dfff942bb2a466a1c08b8d78ca3f4d6df8b8bfa2e4ee28";

    [Fact]
    public void PublicKeyDeserializeAccepts33BytesAndIgnoresTrailingBytes()
    {
        var serialized = Convert.FromHexString("05" + AlicePublic);
        var key = EcPublicKey.Deserialize(serialized);
        Assert.Equal(serialized, key.Serialize());
        Assert.Equal(AlicePublic, Convert.ToHexStringLower(key.PublicKeyBytes));
        var longer = EcPublicKey.Deserialize([.. serialized, 0x01, 0x02]);
        Assert.Equal(key, longer);
        Assert.Equal(key.GetHashCode(), longer.GetHashCode());
    }

    [Fact]
    public void PublicKeyDeserializeRejectsShortInputAndWrongType()
    {
        var serialized = Convert.FromHexString("05" + AlicePublic);
        Assert.Throws<InvalidKeyException>(() => EcPublicKey.Deserialize(serialized.AsSpan(0, 32)));
        Assert.Throws<InvalidKeyException>(() => EcPublicKey.Deserialize(serialized.AsSpan(1)));
        Assert.Throws<InvalidKeyException>(() => EcPublicKey.Deserialize(ReadOnlySpan<byte>.Empty));
        serialized[0] = 0x06;
        Assert.Throws<InvalidKeyException>(() => EcPublicKey.Deserialize(serialized));
        Assert.Throws<InvalidKeyException>(() => EcPublicKey.FromPublicKeyBytes(new byte[31]));
        Assert.Throws<InvalidKeyException>(() => EcPublicKey.FromPublicKeyBytes(new byte[33]));
    }

    [Fact]
    public void SerializeReturnsFreshArrays()
    {
        var key = EcPublicKey.Deserialize(Convert.FromHexString("05" + AlicePublic));
        var first = key.Serialize();
        first[1] ^= 0xFF;
        Assert.NotEqual(first, key.Serialize());
    }

    [Fact]
    public void PrivateKeyIsClampedOnLoad()
    {
        var raw = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        using var key = EcPrivateKey.Deserialize(raw);
        var clamped = key.Serialize();
        Assert.Equal(0xF8, clamped[0]);
        Assert.Equal(0x7F, clamped[31]);
        var zero = new byte[32];
        using var key2 = EcPrivateKey.Deserialize(zero);
        Assert.Equal(0x40, key2.Serialize()[31]);
        // Clamping does not change the public key of an unclamped encoding of the same scalar.
        var vector = Convert.FromHexString(AlicePrivate);
        vector[0] |= 0x07;
        vector[31] |= 0x80;
        using var alice = EcPrivateKey.Deserialize(vector);
        Assert.Equal(AlicePublic, alice.PublicKey.ToString());
    }

    [Fact]
    public void PrivateKeyDeserializeRejectsWrongLength()
    {
        Assert.Throws<InvalidKeyException>(() => EcPrivateKey.Deserialize(new byte[31]));
        Assert.Throws<InvalidKeyException>(() => EcPrivateKey.Deserialize(new byte[33]));
        Assert.Throws<InvalidKeyException>(() => EcPrivateKey.Deserialize(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void GeneratedKeysAreClampedAndDeterministicForAGivenRandomSource()
    {
        using var a = EcPrivateKey.Generate(new CountingRandom());
        using var b = EcPrivateKey.Generate(new CountingRandom());
        Assert.Equal(a.Serialize(), b.Serialize());
        var bytes = a.Serialize();
        Assert.Equal(0, bytes[0] & 7);
        Assert.Equal(0x40, bytes[31] & 0xC0);
    }

    [Fact]
    public void DisposedPrivateKeyThrowsAndIsWiped()
    {
        var key = EcPrivateKey.Generate();
        var pub = key.PublicKey;
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Serialize());
        Assert.Throws<ObjectDisposedException>(() => key.PublicKey);
        Assert.Throws<ObjectDisposedException>(() => key.CalculateAgreement(pub));
        Assert.Throws<ObjectDisposedException>(() => key.CalculateSignature([1, 2, 3]));
        key.Dispose();
    }

    [Fact]
    public void ToStringShowsNoSecret()
    {
        using var key = EcPrivateKey.Deserialize(Convert.FromHexString(AlicePrivate));
        Assert.DoesNotContain("c806", key.ToString(), StringComparison.OrdinalIgnoreCase);
        using var pair = new EcKeyPair(EcPrivateKey.Deserialize(Convert.FromHexString(AlicePrivate)));
        Assert.DoesNotContain("c806", pair.ToString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(AlicePublic, pair.PublicKey.ToString());
    }

    [Fact]
    public void SignAndVerifyRoundTripAndAgreementIsSymmetric()
    {
        using var alice = EcKeyPair.Generate();
        using var bob = EcKeyPair.Generate();
        var message = "hello"u8.ToArray();
        var sig = alice.PrivateKey.CalculateSignature(message);
        Assert.True(alice.PublicKey.VerifySignature(message, sig));
        Assert.False(bob.PublicKey.VerifySignature(message, sig));
        Assert.False(alice.PublicKey.VerifySignature("hellp"u8, sig));
        Span<byte> spanSig = stackalloc byte[64];
        alice.PrivateKey.CalculateSignature(message, spanSig);
        Assert.True(alice.PublicKey.VerifySignature(message, spanSig));
        Assert.Throws<ArgumentException>(() => alice.PrivateKey.CalculateSignature(message, new byte[63]));

        Assert.Equal(alice.PrivateKey.CalculateAgreement(bob.PublicKey), bob.PrivateKey.CalculateAgreement(alice.PublicKey));
        Span<byte> shared = stackalloc byte[32];
        alice.PrivateKey.CalculateAgreement(bob.PublicKey, shared);
        Assert.Equal(bob.PrivateKey.CalculateAgreement(alice.PublicKey), shared.ToArray());
    }

    [Fact]
    public void SigningIsDeterministicGivenTheRandomSourceAndRandomizedOtherwise()
    {
        using var key = EcPrivateKey.Deserialize(Convert.FromHexString(AlicePrivate));
        var m = "m"u8.ToArray();
        Assert.Equal(key.CalculateSignature(m, new CountingRandom()), key.CalculateSignature(m, new CountingRandom()));
        Assert.NotEqual(key.CalculateSignature(m), key.CalculateSignature(m));
    }

    [Fact]
    public void EmptyAndLargeMessagesSignAndVerify()
    {
        using var key = EcPrivateKey.Generate();
        foreach (int size in new[] { 0, 1, 64, 1569, 100_000 })
        {
            var message = new byte[size];
            Random.Shared.NextBytes(message);
            Assert.True(key.PublicKey.VerifySignature(message, key.CalculateSignature(message)), $"size {size}");
        }
    }

    internal sealed class CountingRandom : RandomSource
    {
        private byte _next;

        public override void Fill(Span<byte> destination)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = _next++;
            }
        }
    }
}
