using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp;

/// <summary>
/// A KEM public key as libsignal serializes it: type byte ‖ raw key (1 + 1568 bytes for both supported
/// types). Immutable.
/// </summary>
public sealed class KemPublicKey : IEquatable<KemPublicKey>
{
    /// <summary>Bytes of a serialized key (type byte included).</summary>
    public const int SerializedSize = 1 + KemAlgorithm.PublicKeySize;

    private readonly byte[] _serialized;

    internal KemPublicKey(byte[] serialized)
    {
        _serialized = serialized;
    }

    /// <summary>The KEM this key belongs to.</summary>
    public KemType Type => (KemType)_serialized[0];

    /// <summary>The serialized form without a copy, for hashing and signing inside the library.</summary>
    internal ReadOnlySpan<byte> Serialized => _serialized;

    /// <summary>The raw key without its type byte.</summary>
    internal ReadOnlySpan<byte> Raw => _serialized.AsSpan(1);

    /// <summary>Parses type byte ‖ raw key. The length must be exact for the type.</summary>
    /// <param name="serialized">Untrusted bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidKeyException">Empty input, unknown type byte, wrong length, or (ML-KEM) a key failing the FIPS 203 modulus check.</exception>
    public static KemPublicKey Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (serialized.IsEmpty)
        {
            throw new InvalidKeyException("KEM public key is empty.");
        }

        if (!KemAlgorithm.IsKnown(serialized[0]))
        {
            throw new InvalidKeyException($"Unknown KEM key type 0x{serialized[0]:x2}.");
        }

        if (serialized.Length != SerializedSize)
        {
            throw new InvalidKeyException($"KEM public key of type {(KemType)serialized[0]} must be {SerializedSize} bytes, got {serialized.Length}.");
        }

        if (!KemAlgorithm.IsValidPublicKey((KemType)serialized[0], serialized[1..]))
        {
            throw new InvalidKeyException("ML-KEM public key fails the FIPS 203 modulus check.");
        }

        return new KemPublicKey(serialized.ToArray());
    }

    /// <summary>The serialized key: type byte ‖ raw key.</summary>
    /// <returns>A fresh copy.</returns>
    public byte[] Serialize() => (byte[])_serialized.Clone();

    /// <summary>Encapsulates a fresh shared secret to this key.</summary>
    /// <param name="random">Randomness for the 32 message bytes; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The type-prefixed ciphertext and the 32-byte shared secret (dispose to wipe it).</returns>
    internal KemEncapsulation Encapsulate(RandomSource? random = null)
    {
        Span<byte> m = stackalloc byte[32];
        (random ?? RandomSource.Secure).Fill(m);
        var ciphertext = new byte[KemEncapsulation.SerializedCiphertextSize];
        var sharedSecret = new byte[32];
        try
        {
            ciphertext[0] = _serialized[0];
            KemAlgorithm.Encapsulate(Type, Raw, m, ciphertext.AsSpan(1), sharedSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(m);
        }

        return new KemEncapsulation(ciphertext, sharedSecret);
    }

    /// <inheritdoc />
    public bool Equals(KemPublicKey? other) =>
        other is not null && _serialized.AsSpan().SequenceEqual(other._serialized);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as KemPublicKey);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_serialized.AsSpan(0, 33));
        return hash.ToHashCode();
    }
}
