using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Lattice;

/// <summary>
/// ML-KEM-768 (FIPS 203, parameter set k = 3), including the incremental encapsulation SPQR uses
/// (header ‖ ct1 before the key vector arrives, ct2 after). Span-based, allocation-free; inputs must have exactly the
/// documented sizes and outputs at least those sizes (otherwise <see cref="ArgumentException"/>).
/// </summary>
internal static class MlKem768
{
    /// <summary>Bytes of an encapsulation key (ByteEncode12(t̂) ‖ ρ).</summary>
    public const int EncapsulationKeySize = 1184;

    /// <summary>Bytes of a decapsulation key (dk_PKE ‖ ek ‖ H(ek) ‖ z).</summary>
    public const int DecapsulationKeySize = 2400;

    /// <summary>Bytes of a ciphertext.</summary>
    public const int CiphertextSize = 1088;

    /// <summary>Bytes of the first ciphertext part (compressed u).</summary>
    public const int Ct1Size = 960;

    /// <summary>Bytes of the second ciphertext part (compressed v).</summary>
    public const int Ct2Size = 128;

    /// <summary>Bytes of the SPQR header ρ ‖ SHA3-256(ek).</summary>
    public const int HeaderSize = 64;

    /// <summary>Bytes of the encoded t̂ vector, i.e. the encapsulation key without its trailing ρ.</summary>
    public const int EncapsulationKeyVectorSize = 1152;

    /// <summary>Bytes of the shared secret.</summary>
    public const int SharedSecretSize = 32;

    private static LatticeParameters Parameters => LatticeParameters.Rank3;

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

    /// <summary>The SPQR header of an encapsulation key: ρ (its last 32 bytes) ‖ SHA3-256(ek).</summary>
    /// <param name="ek">The full encapsulation key.</param>
    /// <param name="header">Receives the 64-byte header.</param>
    public static void ComputeHeader(ReadOnlySpan<byte> ek, Span<byte> header)
    {
        SpanArguments.RequireExact(ek, EncapsulationKeySize, nameof(ek));
        SpanArguments.RequireRoom(header, HeaderSize, nameof(header));
        ek[EncapsulationKeyVectorSize..].CopyTo(header[..32]);
        Sha3.Sha3_256(ek, default, header.Slice(32, 32));
    }

    /// <summary>
    /// First half of encapsulation, knowing only the header: (K, r) ← G(m ‖ H(ek)), ct1 = compressed u.
    /// The shared secret is final already. Keep m secret until <see cref="EncapsulatePart2"/> has run.
    /// </summary>
    /// <param name="header">ρ ‖ H(ek) (64 bytes).</param>
    /// <param name="m">32 random message bytes.</param>
    /// <param name="ct1">Receives the 960-byte first ciphertext part.</param>
    /// <param name="sharedSecret">Receives the 32-byte shared secret.</param>
    [SkipLocalsInit]
    public static void EncapsulatePart1(ReadOnlySpan<byte> header, ReadOnlySpan<byte> m, Span<byte> ct1, Span<byte> sharedSecret)
    {
        SpanArguments.RequireExact(header, HeaderSize, nameof(header));
        SpanArguments.RequireExact(m, 32, nameof(m));
        SpanArguments.RequireRoom(ct1, Ct1Size, nameof(ct1));
        SpanArguments.RequireRoom(sharedSecret, SharedSecretSize, nameof(sharedSecret));
        Span<byte> kr = stackalloc byte[64];
        Span<short> rHat = stackalloc short[3 * Ntt.N];
        Sha3.Sha3_512(m, header[32..], kr);
        KPke.SampleRandomness(Parameters, kr[32..], rHat);
        KPke.EncryptU(Parameters, header[..32], rHat, kr[32..], ct1);
        kr[..32].CopyTo(sharedSecret);
        KPke.Wipe(rHat);
        CryptographicOperations.ZeroMemory(kr);
    }

    /// <summary>
    /// Second half of encapsulation once the key vector has arrived: ct2 = compressed v. Check the vector
    /// first with <see cref="EncapsulationKeyMatchesHeader"/>.
    /// </summary>
    /// <param name="header">ρ ‖ H(ek) (64 bytes), the same as for part 1.</param>
    /// <param name="ekVector">The 1152-byte encoded t̂.</param>
    /// <param name="m">The same 32 message bytes as for part 1.</param>
    /// <param name="ct2">Receives the 128-byte second ciphertext part.</param>
    [SkipLocalsInit]
    public static void EncapsulatePart2(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ekVector, ReadOnlySpan<byte> m, Span<byte> ct2)
    {
        SpanArguments.RequireExact(header, HeaderSize, nameof(header));
        SpanArguments.RequireExact(ekVector, EncapsulationKeyVectorSize, nameof(ekVector));
        SpanArguments.RequireExact(m, 32, nameof(m));
        SpanArguments.RequireRoom(ct2, Ct2Size, nameof(ct2));
        Span<byte> kr = stackalloc byte[64];
        Span<short> rHat = stackalloc short[3 * Ntt.N];
        Sha3.Sha3_512(m, header[32..], kr);
        KPke.SampleRandomness(Parameters, kr[32..], rHat);
        KPke.EncryptV(Parameters, ekVector, rHat, kr[32..], m, ct2);
        KPke.Wipe(rHat);
        CryptographicOperations.ZeroMemory(kr);
    }

    /// <summary>
    /// Whether a received key vector belongs to a header: SHA3-256(ekVector ‖ ρ) equals header[32..64] and
    /// the vector passes the FIPS 203 modulus check. Works on public data only. Wrong lengths give false.
    /// </summary>
    /// <param name="ekVector">The candidate 1152-byte encoded t̂.</param>
    /// <param name="header">ρ ‖ H(ek) (64 bytes).</param>
    /// <returns>Whether ekVector ‖ ρ is the key the header commits to and is canonical.</returns>
    [SkipLocalsInit]
    public static bool EncapsulationKeyMatchesHeader(ReadOnlySpan<byte> ekVector, ReadOnlySpan<byte> header)
    {
        if (ekVector.Length != EncapsulationKeyVectorSize || header.Length != HeaderSize)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        Sha3.Sha3_256(ekVector, header[..32], hash);
        bool hashMatches = CryptographicOperations.FixedTimeEquals(hash, header[32..]);
        return hashMatches & MlKemScheme.IsCanonicalVector(Parameters, ekVector);
    }

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
