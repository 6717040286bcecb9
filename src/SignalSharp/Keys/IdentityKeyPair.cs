using SignalSharp.Crypto;

namespace SignalSharp;

/// <summary>A long-term identity key pair. Disposing wipes the private key.</summary>
public sealed class IdentityKeyPair : IDisposable
{
    /// <summary>Pairs an identity key with its private key (taking ownership of the private key).</summary>
    /// <param name="identityKey">The public identity.</param>
    /// <param name="privateKey">The matching private key.</param>
    public IdentityKeyPair(IdentityKey identityKey, EcPrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(privateKey);
        IdentityKey = identityKey;
        PrivateKey = privateKey;
    }

    /// <summary>Wraps a private key (taking ownership), deriving the identity key from it.</summary>
    /// <param name="privateKey">The private key.</param>
    public IdentityKeyPair(EcPrivateKey privateKey)
        : this(new IdentityKey((privateKey ?? throw new ArgumentNullException(nameof(privateKey))).PublicKey), privateKey)
    {
    }

    /// <summary>The public identity.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The private key.</summary>
    public EcPrivateKey PrivateKey { get; }

    /// <summary>The public identity key as a Curve25519 key.</summary>
    public EcPublicKey PublicKey => IdentityKey.PublicKey;

    /// <summary>Creates a fresh identity.</summary>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The key pair.</returns>
    public static IdentityKeyPair Generate(RandomSource? random = null) => new(EcPrivateKey.Generate(random));

    /// <summary>
    /// The protobuf form libsignal uses (field 1 = 33-byte public key, field 2 = 32-byte private key). The
    /// result holds the private key: wipe it after use.
    /// </summary>
    /// <returns>69 bytes.</returns>
    public byte[] Serialize()
    {
        byte[] privateKey = PrivateKey.Serialize();
        try
        {
            return IdentityKeyPairCodec.Encode(IdentityKey.Serialize(), privateKey);
        }
        finally
        {
            IdentityKeyPairCodec.Wipe(privateKey);
        }
    }

    /// <summary>Parses <see cref="Serialize"/>'s format (unknown fields ignored). The keys are not cross-checked, as in libsignal.</summary>
    /// <param name="serialized">The protobuf bytes.</param>
    /// <returns>The key pair.</returns>
    /// <exception cref="InvalidKeyException">Malformed protobuf or keys.</exception>
    public static IdentityKeyPair Deserialize(ReadOnlySpan<byte> serialized)
    {
        byte[] copy = serialized.ToArray();
        try
        {
            var (publicKey, privateKey) = IdentityKeyPairCodec.Decode(copy);
            var identity = IdentityKey.Deserialize(publicKey.Span);
            return new IdentityKeyPair(identity, EcPrivateKey.Deserialize(privateKey.Span));
        }
        finally
        {
            IdentityKeyPairCodec.Wipe(copy);
        }
    }

    /// <summary>An XEdDSA signature by the identity key.</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <param name="random">Nonce randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The 64-byte signature.</returns>
    public byte[] Sign(ReadOnlySpan<byte> message, RandomSource? random = null) => PrivateKey.CalculateSignature(message, random);

    /// <summary>
    /// Signs another identity key of the same account (Signal's PNI signature: the PNI identity signs the ACI
    /// identity key): XEdDSA over <c>0xFF×32 ‖ "Signal_PNI_Signature" ‖ other</c>.
    /// </summary>
    /// <param name="other">The other identity key.</param>
    /// <param name="random">Nonce randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The 64-byte signature.</returns>
    public byte[] SignAlternateIdentity(IdentityKey other, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Sign(IdentityKey.AlternateIdentityMessage(other), random);
    }

    /// <summary>Wipes the private key.</summary>
    public void Dispose() => PrivateKey.Dispose();
}
