using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Lattice;

/// <summary>
/// ML-KEM-1024 (FIPS 203, parameter set k = 4). Span-based, allocation-free; inputs must have exactly the
/// documented sizes and outputs at least those sizes (otherwise <see cref="ArgumentException"/>).
/// </summary>
public static class MlKem1024
{
    /// <summary>Bytes of an encapsulation key (ByteEncode12(t̂) ‖ ρ).</summary>
    public const int EncapsulationKeySize = 1568;

    /// <summary>Bytes of a decapsulation key (dk_PKE ‖ ek ‖ H(ek) ‖ z).</summary>
    public const int DecapsulationKeySize = 3168;

    /// <summary>Bytes of a ciphertext.</summary>
    public const int CiphertextSize = 1568;

    /// <summary>Bytes of the shared secret.</summary>
    public const int SharedSecretSize = 32;

    private static LatticeParameters Parameters => LatticeParameters.Rank4;

    /// <summary>ML-KEM.KeyGen_internal(d, z): deterministic key generation from two 32-byte seeds.</summary>
    /// <param name="d">32-byte key-generation seed.</param>
    /// <param name="z">32-byte implicit-rejection secret.</param>
    /// <param name="ek">Receives the encapsulation key.</param>
    /// <param name="dk">Receives the decapsulation key.</param>
    public static void GenerateKeyPair(ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> ek, Span<byte> dk)
    {
        SpanArguments.RequireExact(d, 32, nameof(d));
        SpanArguments.RequireExact(z, 32, nameof(z));
        SpanArguments.RequireRoom(ek, EncapsulationKeySize, nameof(ek));
        SpanArguments.RequireRoom(dk, DecapsulationKeySize, nameof(dk));
        MlKemScheme.GenerateKeyPair(Parameters, d, z, ek, dk);
    }

    /// <summary>ML-KEM.KeyGen with seeds drawn from <paramref name="random"/> (d first, then z).</summary>
    /// <param name="ek">Receives the encapsulation key.</param>
    /// <param name="dk">Receives the decapsulation key.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    [SkipLocalsInit]
    public static void GenerateKeyPair(Span<byte> ek, Span<byte> dk, RandomSource? random = null)
    {
        Span<byte> seeds = stackalloc byte[64];
        (random ?? RandomSource.Secure).Fill(seeds);
        try
        {
            GenerateKeyPair(seeds[..32], seeds[32..], ek, dk);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seeds);
        }
    }

    /// <summary>
    /// ML-KEM.Encaps_internal(ek, m): deterministic encapsulation with the 32 message bytes m. The key must
    /// pass the FIPS 203 modulus check (otherwise <see cref="ArgumentException"/>).
    /// </summary>
    /// <param name="ek">The encapsulation key.</param>
    /// <param name="m">32 random bytes (keep secret).</param>
    /// <param name="ct">Receives the ciphertext.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    [SkipLocalsInit]
    public static void Encapsulate(ReadOnlySpan<byte> ek, ReadOnlySpan<byte> m, Span<byte> ct, Span<byte> sharedSecret)
    {
        SpanArguments.RequireExact(ek, EncapsulationKeySize, nameof(ek));
        SpanArguments.RequireExact(m, 32, nameof(m));
        SpanArguments.RequireRoom(ct, CiphertextSize, nameof(ct));
        SpanArguments.RequireRoom(sharedSecret, SharedSecretSize, nameof(sharedSecret));
        if (!MlKemScheme.IsCanonicalVector(Parameters, ek[..(EncapsulationKeySize - 32)]))
        {
            throw new ArgumentException("The encapsulation key fails the FIPS 203 modulus check.", nameof(ek));
        }

        Span<byte> ekHash = stackalloc byte[32];
        Sha3.Sha3_256(ek, default, ekHash);
        MlKemScheme.Encapsulate(Parameters, ek, ekHash, m, ct, sharedSecret);
    }

    /// <summary>
    /// ML-KEM.Decaps_internal(dk, c). A tampered ciphertext yields the implicit-rejection secret, never an
    /// error. The key is used as given; check imported keys once with <see cref="IsValidDecapsulationKey"/>.
    /// </summary>
    /// <param name="dk">The decapsulation key.</param>
    /// <param name="ct">The ciphertext.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    public static void Decapsulate(ReadOnlySpan<byte> dk, ReadOnlySpan<byte> ct, Span<byte> sharedSecret)
    {
        SpanArguments.RequireExact(dk, DecapsulationKeySize, nameof(dk));
        SpanArguments.RequireExact(ct, CiphertextSize, nameof(ct));
        SpanArguments.RequireRoom(sharedSecret, SharedSecretSize, nameof(sharedSecret));
        MlKemScheme.Decapsulate(Parameters, dk, ct, sharedSecret);
    }

    /// <summary>FIPS 203 §7.2 encapsulation-key check: right length and every coefficient below q.</summary>
    /// <param name="ek">The candidate encapsulation key.</param>
    /// <returns>Whether the key may be used.</returns>
    public static bool IsValidEncapsulationKey(ReadOnlySpan<byte> ek) =>
        ek.Length == EncapsulationKeySize && MlKemScheme.IsCanonicalVector(Parameters, ek[..(EncapsulationKeySize - 32)]);

    /// <summary>FIPS 203 §7.3 decapsulation-key check: right length and the embedded H(ek) matches the embedded ek.</summary>
    /// <param name="dk">The candidate decapsulation key.</param>
    /// <returns>Whether the key may be used.</returns>
    public static bool IsValidDecapsulationKey(ReadOnlySpan<byte> dk) =>
        dk.Length == DecapsulationKeySize && MlKemScheme.HasConsistentHash(Parameters, dk);
}
