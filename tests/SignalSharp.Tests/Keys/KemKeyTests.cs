using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Keys;

/// <summary>
/// The typed KEM key layer: libsignal's serialization (type byte ‖ raw key, 0x08 = Kyber1024 round 3,
/// 0x0A = ML-KEM-1024; wire-facts §1.3), exact-length parsing, typed ciphertexts and the typed errors.
/// </summary>
public class KemKeyTests
{
    [Theory]
    [InlineData(KemType.Kyber1024)]
    [InlineData(KemType.MlKem1024)]
    public void GeneratedPairEncapsulatesAndDecapsulatesThroughSerializedForms(KemType type)
    {
        using var pair = KemKeyPair.Generate(type);
        byte[] publicBytes = pair.PublicKey.Serialize();
        byte[] secretBytes = pair.SecretKey.Serialize();
        Assert.Equal(1569, publicBytes.Length);
        Assert.Equal(3169, secretBytes.Length);
        Assert.Equal((byte)type, publicBytes[0]);
        Assert.Equal((byte)type, secretBytes[0]);

        var publicKey = KemPublicKey.Deserialize(publicBytes);
        using var secretKey = KemSecretKey.Deserialize(secretBytes);
        Assert.Equal(pair.PublicKey, publicKey);
        Assert.Equal(type, secretKey.Type);

        using var encapsulation = publicKey.Encapsulate();
        Assert.Equal(1569, encapsulation.Ciphertext.Length);
        Assert.Equal((byte)type, encapsulation.Ciphertext[0]);
        Assert.Equal(encapsulation.SharedSecret, secretKey.Decapsulate(encapsulation.Ciphertext));
    }

    [Fact]
    public void GenerationIsDeterministicInTheRandomSourceAndMatchesTheSpanApi()
    {
        byte[] seeds = RandomNumberGenerator.GetBytes(64);
        using var pair = KemKeyPair.Generate(KemType.Kyber1024, new FixedRandom(seeds));
        var pk = new byte[1568];
        var sk = new byte[3168];
        SignalSharp.Lattice.Kyber1024.GenerateKeyPair(seeds.AsSpan(0, 32), seeds.AsSpan(32), pk, sk);
        Assert.Equal([0x08, .. pk], pair.PublicKey.Serialize());
        Assert.Equal([0x08, .. sk], pair.SecretKey.Serialize());

        byte[] m = RandomNumberGenerator.GetBytes(32);
        using var encapsulation = pair.PublicKey.Encapsulate(new FixedRandom(m));
        var ct = new byte[1568];
        var ss = new byte[32];
        SignalSharp.Lattice.Kyber1024.Encapsulate(pk, m, ct, ss);
        Assert.Equal([0x08, .. ct], encapsulation.Ciphertext);
        Assert.Equal(ss, encapsulation.SharedSecret);
    }

    [Fact]
    public void MalformedKeysAreInvalidKeyErrors()
    {
        using var pair = KemKeyPair.Generate();
        byte[] publicBytes = pair.PublicKey.Serialize();
        byte[] secretBytes = pair.SecretKey.Serialize();

        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize([]));
        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize(publicBytes.AsSpan(0, 1568)));
        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize([.. publicBytes, 0]));
        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize([0x07, .. publicBytes.AsSpan(1)]));
        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize([0x05, .. publicBytes.AsSpan(1)]));
        Assert.Throws<InvalidKeyException>(() => KemSecretKey.Deserialize([]));
        Assert.Throws<InvalidKeyException>(() => KemSecretKey.Deserialize(secretBytes.AsSpan(0, 3168)));
        Assert.Throws<InvalidKeyException>(() => KemSecretKey.Deserialize([.. secretBytes, 0]));
        Assert.Throws<InvalidKeyException>(() => KemSecretKey.Deserialize([0x09, .. secretBytes.AsSpan(1)]));
    }

    [Fact]
    public void MlKemKeysAreCheckedAsFips203Requires()
    {
        using var pair = KemKeyPair.Generate(KemType.MlKem1024);
        byte[] publicBytes = pair.PublicKey.Serialize();
        publicBytes[1] = 0xFF;
        publicBytes[2] |= 0x0F; // first coefficient := 4095 ≥ q
        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize(publicBytes));

        byte[] secretBytes = pair.SecretKey.Serialize();
        secretBytes[1 + 1536 + 100] ^= 0x01; // the embedded ek no longer matches the embedded H(ek)
        Assert.Throws<InvalidKeyException>(() => KemSecretKey.Deserialize(secretBytes));

        // Round 3 defines no such checks: the same changes to a Kyber1024 key are accepted.
        using var kyber = KemKeyPair.Generate(KemType.Kyber1024);
        byte[] kyberPublic = kyber.PublicKey.Serialize();
        kyberPublic[1] = 0xFF;
        kyberPublic[2] |= 0x0F;
        Assert.Equal(KemType.Kyber1024, KemPublicKey.Deserialize(kyberPublic).Type);
    }

    [Fact]
    public void MalformedCiphertextsAreInvalidMessageErrors()
    {
        using var kyber = KemKeyPair.Generate(KemType.Kyber1024);
        using var mlKem = KemKeyPair.Generate(KemType.MlKem1024);
        using var encapsulation = kyber.PublicKey.Encapsulate();
        using var mlKemEncapsulation = mlKem.PublicKey.Encapsulate();

        Assert.Throws<InvalidMessageException>(() => kyber.SecretKey.Decapsulate([]));
        Assert.Throws<InvalidMessageException>(() => kyber.SecretKey.Decapsulate(encapsulation.Ciphertext.AsSpan(0, 1568)));
        Assert.Throws<InvalidMessageException>(() => kyber.SecretKey.Decapsulate([.. encapsulation.Ciphertext, 0]));
        Assert.Throws<InvalidMessageException>(() => kyber.SecretKey.Decapsulate(mlKemEncapsulation.Ciphertext));
        Assert.Throws<InvalidMessageException>(() => mlKem.SecretKey.Decapsulate(encapsulation.Ciphertext));
    }

    [Fact]
    public void TamperedCiphertextGivesADifferentSecretNotAnError()
    {
        using var pair = KemKeyPair.Generate();
        using var encapsulation = pair.PublicKey.Encapsulate();
        byte[] tampered = (byte[])encapsulation.Ciphertext.Clone();
        tampered[100] ^= 0x01;
        byte[] rejected = pair.SecretKey.Decapsulate(tampered);
        Assert.NotEqual(encapsulation.SharedSecret, rejected);
        Assert.Equal(rejected, pair.SecretKey.Decapsulate(tampered));
    }

    [Fact]
    public void DisposeWipesSecrets()
    {
        var pair = KemKeyPair.Generate();
        var encapsulation = pair.PublicKey.Encapsulate();
        encapsulation.Dispose();
        Assert.All(encapsulation.SharedSecret, b => Assert.Equal(0, b));
        pair.Dispose();
        Assert.Equal(KemType.Kyber1024, pair.SecretKey.Type);
        Assert.Throws<ObjectDisposedException>(() => pair.SecretKey.Serialize());
        Assert.Throws<ObjectDisposedException>(() => pair.SecretKey.Decapsulate(new byte[1569]));
    }

    [Fact]
    public void PairingKeysOfDifferentTypesIsRejected()
    {
        using var kyber = KemKeyPair.Generate(KemType.Kyber1024);
        using var mlKem = KemKeyPair.Generate(KemType.MlKem1024);
        using var secret = KemSecretKey.Deserialize(mlKem.SecretKey.Serialize());
        Assert.Throws<InvalidKeyException>(() => new KemKeyPair(kyber.PublicKey, secret));
    }

    private sealed class FixedRandom(byte[] bytes) : RandomSource
    {
        private int _position;

        public override void Fill(Span<byte> destination)
        {
            bytes.AsSpan(_position, destination.Length).CopyTo(destination);
            _position += destination.Length;
        }
    }
}
