using SignalSharp.Lattice;

namespace SignalSharp;

/// <summary>Dispatches a <see cref="KemType"/> to its lattice implementation and raw sizes.</summary>
internal static class KemAlgorithm
{
    /// <summary>Raw public-key bytes (both supported types).</summary>
    public const int PublicKeySize = 1568;

    /// <summary>Raw secret-key bytes (both supported types).</summary>
    public const int SecretKeySize = 3168;

    /// <summary>Raw ciphertext bytes (both supported types).</summary>
    public const int CiphertextSize = 1568;

    /// <summary>Whether the byte names a KEM this library implements.</summary>
    public static bool IsKnown(byte type) => type is (byte)KemType.Kyber1024 or (byte)KemType.MlKem1024;

    /// <summary>Public-key checks beyond length: FIPS 203's modulus check for ML-KEM; round 3 has none.</summary>
    public static bool IsValidPublicKey(KemType type, ReadOnlySpan<byte> raw) =>
        type != KemType.MlKem1024 || MlKem1024.IsValidEncapsulationKey(raw);

    /// <summary>Secret-key checks beyond length: FIPS 203's H(ek) consistency check for ML-KEM; round 3 has none.</summary>
    public static bool IsValidSecretKey(KemType type, ReadOnlySpan<byte> raw) =>
        type != KemType.MlKem1024 || MlKem1024.IsValidDecapsulationKey(raw);

    /// <summary>Deterministic key generation from the seeds d and z into raw (untyped) key buffers.</summary>
    public static void GenerateKeyPair(KemType type, ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> pk, Span<byte> sk)
    {
        if (type == KemType.Kyber1024)
        {
            Kyber1024.GenerateKeyPair(d, z, pk, sk);
        }
        else
        {
            MlKem1024.GenerateKeyPair(d, z, pk, sk);
        }
    }

    /// <summary>Deterministic encapsulation with the 32 random bytes m into a raw ciphertext buffer.</summary>
    public static void Encapsulate(KemType type, ReadOnlySpan<byte> pk, ReadOnlySpan<byte> m, Span<byte> ct, Span<byte> sharedSecret)
    {
        if (type == KemType.Kyber1024)
        {
            Kyber1024.Encapsulate(pk, m, ct, sharedSecret);
        }
        else
        {
            MlKem1024.Encapsulate(pk, m, ct, sharedSecret);
        }
    }

    /// <summary>Decapsulation of a raw ciphertext (implicit rejection, never an error for right-length input).</summary>
    public static void Decapsulate(KemType type, ReadOnlySpan<byte> sk, ReadOnlySpan<byte> ct, Span<byte> sharedSecret)
    {
        if (type == KemType.Kyber1024)
        {
            Kyber1024.Decapsulate(sk, ct, sharedSecret);
        }
        else
        {
            MlKem1024.Decapsulate(sk, ct, sharedSecret);
        }
    }
}
