using SignalSharp.Crypto;

namespace SignalSharp.Lattice;

/// <summary>
/// Kyber1024 as submitted to NIST round 3 (CRYSTALS-Kyber v3.02; libsignal KEM type 0x08): the same
/// lattice core as ML-KEM-1024 with the round-3 hashing around it. Span-based, allocation-free; inputs must have exactly the
/// documented sizes and outputs at least those sizes (otherwise <see cref="ArgumentException"/>).
/// </summary>
internal static class Kyber1024
{
    /// <summary>Bytes of a public key (encoded t̂ ‖ ρ).</summary>
    public const int EncapsulationKeySize = 1568;

    /// <summary>Bytes of a secret key (cpa-sk ‖ pk ‖ SHA3-256(pk) ‖ z).</summary>
    public const int DecapsulationKeySize = 3168;

    /// <summary>Bytes of a ciphertext.</summary>
    public const int CiphertextSize = 1568;

    /// <summary>Bytes of the shared secret.</summary>
    public const int SharedSecretSize = 32;

    private static LatticeParameters Parameters => LatticeParameters.Rank4;

    /// <summary>Deterministic key generation: (ρ, σ) ← SHA3-512(d) (no rank byte, unlike FIPS 203), z is the rejection secret.</summary>
    /// <param name="d">32-byte key-generation seed.</param>
    /// <param name="z">32-byte implicit-rejection secret.</param>
    /// <param name="ek">Receives the encapsulation key.</param>
    /// <param name="dk">Receives the decapsulation key.</param>
    public static void GenerateKeyPair(ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> ek, Span<byte> dk)
        => LatticeKem.GenerateKeyPair(LatticeKemFlavor.KyberRound3, Parameters, d, z, ek, dk);

    /// <summary>Key generation with seeds drawn from <paramref name="random"/> (d first, then z).</summary>
    /// <param name="ek">Receives the encapsulation key.</param>
    /// <param name="dk">Receives the decapsulation key.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public static void GenerateKeyPair(Span<byte> ek, Span<byte> dk, RandomSource? random = null)
        => LatticeKem.GenerateKeyPair(LatticeKemFlavor.KyberRound3, Parameters, ek, dk, random);

    /// <summary>
    /// Deterministic round-3 encapsulation: <paramref name="m"/> are the 32 bytes the specification draws
    /// from its RNG (they are hashed with SHA3-256 before use, as in round 3). Any 1568 bytes are accepted as
    /// a key, as in round 3 (12-bit values ≥ q are used as read).
    /// </summary>
    /// <param name="ek">The public key.</param>
    /// <param name="m">32 random bytes (keep secret).</param>
    /// <param name="ct">Receives the ciphertext.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    public static void Encapsulate(ReadOnlySpan<byte> ek, ReadOnlySpan<byte> m, Span<byte> ct, Span<byte> sharedSecret)
        => LatticeKem.Encapsulate(LatticeKemFlavor.KyberRound3, Parameters, ek, m, ct, sharedSecret);

    /// <summary>
    /// Round-3 decapsulation. A tampered ciphertext yields the implicit-rejection secret
    /// SHAKE-256(z ‖ H(c)), never an error.
    /// </summary>
    /// <param name="dk">The secret key.</param>
    /// <param name="ct">The ciphertext.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    public static void Decapsulate(ReadOnlySpan<byte> dk, ReadOnlySpan<byte> ct, Span<byte> sharedSecret)
        => LatticeKem.Decapsulate(LatticeKemFlavor.KyberRound3, Parameters, dk, ct, sharedSecret);
}
