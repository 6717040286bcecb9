using SignalSharp.Curves;

namespace SignalSharp;

/// <summary>
/// A Curve25519 public key (Montgomery u-coordinate). Serialized as the type byte 0x05 followed by the
/// 32-byte little-endian u-coordinate. Immutable, with value equality.
/// </summary>
public sealed class EcPublicKey : IEquatable<EcPublicKey>
{
    /// <summary>Length of <see cref="Serialize"/>: type byte plus 32 key bytes.</summary>
    public const int SerializedLength = 33;

    /// <summary>The only key type byte libsignal accepts ("DJB").</summary>
    public const byte TypeByte = 0x05;

    /// <summary>Marks a key whose u-coordinate has no Edwards point (computed, nothing to cache).</summary>
    private static readonly object NoEdwardsForm = new();

    private readonly byte[] _key;

    /// <summary>Null until the first verification, then an <see cref="EdwardsPublicKey"/> or <see cref="NoEdwardsForm"/>.</summary>
    private object? _edwards;

    // The serialized form, kept once asked for: a sending chain's key goes into every message of the chain.
    private byte[]? _serialized;

    private EcPublicKey(byte[] key) => _key = key;

    /// <summary>The 32 raw u-coordinate bytes (no type byte).</summary>
    public ReadOnlySpan<byte> PublicKeyBytes => _key;

    /// <summary>The 33-byte serialized form, computed once (public data; callers must not modify it).</summary>
    internal ReadOnlyMemory<byte> SerializedMemory => _serialized ??= Serialize();

    /// <summary>
    /// Parses the 33-byte form. Bytes after the 33rd are ignored, as libsignal does.
    /// </summary>
    /// <param name="serialized">Type byte 0x05 followed by at least 32 key bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidKeyException">Shorter than 33 bytes or a type byte other than 0x05.</exception>
    public static EcPublicKey Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (serialized.Length == 0)
        {
            throw new InvalidKeyException("no key type identifier");
        }

        if (serialized[0] != TypeByte)
        {
            throw new InvalidKeyException($"bad key type <0x{serialized[0]:x2}>");
        }

        if (serialized.Length < SerializedLength)
        {
            throw new InvalidKeyException($"bad key length <{serialized.Length}>");
        }

        return new EcPublicKey(serialized.Slice(1, X25519.KeyLength).ToArray());
    }

    /// <summary>Wraps a raw 32-byte u-coordinate (for example Sealed Sender v2's <c>e_pub</c>).</summary>
    /// <param name="publicKey">Exactly 32 bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidKeyException">Not 32 bytes.</exception>
    public static EcPublicKey FromPublicKeyBytes(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != X25519.KeyLength)
        {
            throw new InvalidKeyException($"bad key length <{publicKey.Length}>");
        }

        return new EcPublicKey(publicKey.ToArray());
    }

    /// <summary>Internal constructor for keys computed by this library (takes ownership of the array).</summary>
    internal static EcPublicKey FromOwnedBytes(byte[] publicKey) => new(publicKey);

    /// <summary>The 33-byte serialized form (a fresh array).</summary>
    /// <returns>0x05 ‖ u-coordinate.</returns>
    public byte[] Serialize()
    {
        var output = new byte[SerializedLength];
        output[0] = TypeByte;
        _key.CopyTo(output, 1);
        return output;
    }

    /// <summary>Verifies an XEdDSA signature made by the matching private key.</summary>
    /// <param name="message">The signed bytes.</param>
    /// <param name="signature">The signature; anything but 64 bytes is rejected.</param>
    /// <returns>True when the signature is valid.</returns>
    /// <remarks>The key's Edwards form (one field exponentiation) is computed on first use and kept.</remarks>
    public bool VerifySignature(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != XEdDsa.SignatureLength)
        {
            return false;
        }

        object? edwards = Volatile.Read(ref _edwards);
        if (edwards is null)
        {
            // First use: verify and decode the key in one go. Racing threads compute the same immutable value;
            // either result may be kept.
            bool valid = XEdDsa.VerifyDecodingKey(_key, message, signature, out EdwardsPublicKey? decoded);
            Volatile.Write(ref _edwards, (object?)decoded ?? NoEdwardsForm);
            return valid;
        }

        return XEdDsa.Verify(edwards as EdwardsPublicKey, message, signature);
    }

    /// <summary>
    /// The check PQXDH applies to an incoming base key: false when bit 255 is set, the value is not below
    /// 2^255 − 19, or the point is not in the prime-order subgroup.
    /// </summary>
    /// <returns>True for a canonical, torsion-free key.</returns>
    public bool IsCanonicalAndTorsionFree() => MontgomeryPublicKeyCheck.IsCanonicalAndTorsionFree(_key);

    /// <inheritdoc />
    public bool Equals(EcPublicKey? other) => other is not null && _key.AsSpan().SequenceEqual(other._key);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EcPublicKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_key);
        return hash.ToHashCode();
    }

    /// <summary>Equality of the key bytes.</summary>
    /// <param name="left">First key.</param>
    /// <param name="right">Second key.</param>
    /// <returns>True when both are null or equal.</returns>
    public static bool operator ==(EcPublicKey? left, EcPublicKey? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality of the key bytes.</summary>
    /// <param name="left">First key.</param>
    /// <param name="right">Second key.</param>
    /// <returns>True when the keys differ.</returns>
    public static bool operator !=(EcPublicKey? left, EcPublicKey? right) => !(left == right);

    /// <summary>The u-coordinate in lowercase hex.</summary>
    /// <returns>64 hex digits.</returns>
    public override string ToString() => Convert.ToHexString(_key).ToLowerInvariant();
}
