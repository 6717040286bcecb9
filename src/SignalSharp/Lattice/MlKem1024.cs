using SignalSharp.Crypto;

namespace SignalSharp.Lattice;

/// <summary>
/// ML-KEM-1024 (FIPS 203, parameter set k = 4). Span-based, allocation-free; inputs must have exactly the
/// documented sizes and outputs at least those sizes (otherwise <see cref="ArgumentException"/>).
/// </summary>
internal static class MlKem1024
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
        => LatticeKem.GenerateKeyPair(LatticeKemFlavor.MlKem, Parameters, d, z, ek, dk);

    /// <summary>ML-KEM.KeyGen with seeds drawn from <paramref name="random"/> (d first, then z).</summary>
    /// <param name="ek">Receives the encapsulation key.</param>
    /// <param name="dk">Receives the decapsulation key.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public static void GenerateKeyPair(Span<byte> ek, Span<byte> dk, RandomSource? random = null)
        => LatticeKem.GenerateKeyPair(LatticeKemFlavor.MlKem, Parameters, ek, dk, random);

    /// <summary>
    /// ML-KEM.Encaps_internal(ek, m): deterministic encapsulation with the 32 message bytes m. The key must
    /// pass the FIPS 203 modulus check (otherwise <see cref="ArgumentException"/>).
    /// </summary>
    /// <param name="ek">The encapsulation key.</param>
    /// <param name="m">32 random bytes (keep secret).</param>
    /// <param name="ct">Receives the ciphertext.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    public static void Encapsulate(ReadOnlySpan<byte> ek, ReadOnlySpan<byte> m, Span<byte> ct, Span<byte> sharedSecret)
        => LatticeKem.Encapsulate(LatticeKemFlavor.MlKem, Parameters, ek, m, ct, sharedSecret);

    /// <summary>
    /// ML-KEM.Decaps_internal(dk, c). A tampered ciphertext yields the implicit-rejection secret, never an
    /// error. The key is used as given; check imported keys once with <see cref="IsValidDecapsulationKey"/>.
    /// </summary>
    /// <param name="dk">The decapsulation key.</param>
    /// <param name="ct">The ciphertext.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    public static void Decapsulate(ReadOnlySpan<byte> dk, ReadOnlySpan<byte> ct, Span<byte> sharedSecret)
        => LatticeKem.Decapsulate(LatticeKemFlavor.MlKem, Parameters, dk, ct, sharedSecret);

    /// <summary>FIPS 203 §7.2 encapsulation-key check: right length and every coefficient below q.</summary>
    /// <param name="ek">The candidate encapsulation key.</param>
    /// <returns>Whether the key may be used.</returns>
    public static bool IsValidEncapsulationKey(ReadOnlySpan<byte> ek) =>
        LatticeKem.IsValidEncapsulationKey(Parameters, ek);

    /// <summary>FIPS 203 §7.3 decapsulation-key check: right length and the embedded H(ek) matches the embedded ek.</summary>
    /// <param name="dk">The candidate decapsulation key.</param>
    /// <returns>Whether the key may be used.</returns>
    public static bool IsValidDecapsulationKey(ReadOnlySpan<byte> dk) =>
        LatticeKem.IsValidDecapsulationKey(Parameters, dk);
}
