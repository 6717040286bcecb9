namespace SignalSharp;

/// <summary>A long-term identity public key: a Curve25519 public key, serialized in its 33-byte form.</summary>
public sealed class IdentityKey : IEquatable<IdentityKey>
{
    /// <summary>Wraps a public key.</summary>
    /// <param name="publicKey">The key.</param>
    public IdentityKey(EcPublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        PublicKey = publicKey;
    }

    /// <summary>The underlying Curve25519 key.</summary>
    public EcPublicKey PublicKey { get; }

    /// <summary>Parses the 33-byte form (trailing bytes ignored, as for <see cref="EcPublicKey.Deserialize"/>).</summary>
    /// <param name="serialized">0x05 ‖ 32 key bytes.</param>
    /// <returns>The identity key.</returns>
    /// <exception cref="InvalidKeyException">Malformed key.</exception>
    public static IdentityKey Deserialize(ReadOnlySpan<byte> serialized) => new(EcPublicKey.Deserialize(serialized));

    /// <summary>The 33-byte serialized form (a fresh array).</summary>
    /// <returns>0x05 ‖ u-coordinate.</returns>
    public byte[] Serialize() => PublicKey.Serialize();

    /// <summary>Verifies an XEdDSA signature by this identity.</summary>
    /// <param name="message">The signed bytes.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>True when valid.</returns>
    public bool VerifySignature(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => PublicKey.VerifySignature(message, signature);

    /// <summary>
    /// Verifies <see cref="IdentityKeyPair.SignAlternateIdentity"/>: this key signed <paramref name="other"/>.
    /// The check is directional (swapping the keys fails).
    /// </summary>
    /// <param name="other">The other identity key of the account.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>True when valid.</returns>
    public bool VerifyAlternateIdentity(IdentityKey other, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(other);
        return VerifySignature(AlternateIdentityMessage(other), signature);
    }

    /// <summary>0xFF×32 ‖ "Signal_PNI_Signature" ‖ other's 33-byte form.</summary>
    internal static byte[] AlternateIdentityMessage(IdentityKey other)
    {
        ReadOnlySpan<byte> label = "Signal_PNI_Signature"u8;
        var message = new byte[32 + label.Length + EcPublicKey.SerializedLength];
        message.AsSpan(0, 32).Fill(0xFF);
        label.CopyTo(message.AsSpan(32));
        other.PublicKey.SerializedMemory.Span.CopyTo(message.AsSpan(32 + label.Length));
        return message;
    }

    /// <inheritdoc />
    public bool Equals(IdentityKey? other) => other is not null && PublicKey.Equals(other.PublicKey);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IdentityKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => PublicKey.GetHashCode();

    /// <summary>Equality of the keys.</summary>
    /// <param name="left">First key.</param>
    /// <param name="right">Second key.</param>
    /// <returns>True when both are null or equal.</returns>
    public static bool operator ==(IdentityKey? left, IdentityKey? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality of the keys.</summary>
    /// <param name="left">First key.</param>
    /// <param name="right">Second key.</param>
    /// <returns>True when the keys differ.</returns>
    public static bool operator !=(IdentityKey? left, IdentityKey? right) => !(left == right);

    /// <summary>The u-coordinate in lowercase hex.</summary>
    /// <returns>64 hex digits.</returns>
    public override string ToString() => PublicKey.ToString();
}
