using System.Diagnostics;
using System.Security.Cryptography;

namespace SignalSharp;

/// <summary>
/// A KEM secret key as libsignal serializes it: type byte ‖ raw key (1 + 3168 bytes; for Kyber1024 the raw
/// key is cpa-sk ‖ pk ‖ SHA3-256(pk) ‖ z). Holds the key in a private array that <see cref="Dispose"/> wipes.
/// </summary>
public sealed class KemSecretKey : IDisposable
{
    /// <summary>Bytes of a serialized key (type byte included).</summary>
    public const int SerializedSize = 1 + KemAlgorithm.SecretKeySize;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] _serialized;
    private bool _disposed;

    internal KemSecretKey(byte[] serialized)
    {
        _serialized = serialized;
    }

    /// <summary>The KEM this key belongs to.</summary>
    public KemType Type => (KemType)_serialized[0];

    /// <summary>Parses type byte ‖ raw key. The length must be exact for the type.</summary>
    /// <param name="serialized">Untrusted bytes.</param>
    /// <returns>The key (owns a copy of the bytes).</returns>
    /// <exception cref="InvalidKeyException">Empty input, unknown type byte, wrong length, or (ML-KEM) an inconsistent embedded H(ek).</exception>
    public static KemSecretKey Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (serialized.IsEmpty)
        {
            throw new InvalidKeyException("KEM secret key is empty.");
        }

        if (!KemAlgorithm.IsKnown(serialized[0]))
        {
            throw new InvalidKeyException($"Unknown KEM key type 0x{serialized[0]:x2}.");
        }

        if (serialized.Length != SerializedSize)
        {
            throw new InvalidKeyException($"KEM secret key of type {(KemType)serialized[0]} must be {SerializedSize} bytes, got {serialized.Length}.");
        }

        if (!KemAlgorithm.IsValidSecretKey((KemType)serialized[0], serialized[1..]))
        {
            throw new InvalidKeyException("ML-KEM secret key fails the FIPS 203 hash check.");
        }

        return new KemSecretKey(serialized.ToArray());
    }

    /// <summary>The serialized key: type byte ‖ raw key. The caller owns (and should wipe) the copy.</summary>
    /// <returns>A fresh copy.</returns>
    public byte[] Serialize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_serialized.Clone();
    }

    /// <summary>Recovers the shared secret from a type-prefixed ciphertext.</summary>
    /// <param name="typedCiphertext">Type byte ‖ raw ciphertext, untrusted.</param>
    /// <returns>The 32-byte shared secret (a modified ciphertext yields an unrelated secret, not an error).</returns>
    /// <exception cref="InvalidMessageException">Empty ciphertext, a type byte different from the key's, or a wrong length.</exception>
    internal byte[] Decapsulate(ReadOnlySpan<byte> typedCiphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (typedCiphertext.IsEmpty)
        {
            throw new InvalidMessageException("KEM ciphertext is empty.");
        }

        if (typedCiphertext[0] != _serialized[0])
        {
            throw new InvalidMessageException($"KEM ciphertext type 0x{typedCiphertext[0]:x2} does not match key type 0x{_serialized[0]:x2}.");
        }

        if (typedCiphertext.Length != KemEncapsulation.SerializedCiphertextSize)
        {
            throw new InvalidMessageException($"KEM ciphertext must be {KemEncapsulation.SerializedCiphertextSize} bytes, got {typedCiphertext.Length}.");
        }

        var sharedSecret = new byte[32];
        KemAlgorithm.Decapsulate(Type, _serialized.AsSpan(1), typedCiphertext[1..], sharedSecret);
        return sharedSecret;
    }

    /// <summary>Wipes the key material.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            // The type byte stays so that Type remains readable after disposal.
            CryptographicOperations.ZeroMemory(_serialized.AsSpan(1));
            _disposed = true;
        }
    }
}
