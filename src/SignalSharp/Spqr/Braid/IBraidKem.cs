using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>
/// The incremental ML-KEM-768 operations the braid needs (wire facts §6.8). Production code uses
/// <see cref="MlKem768BraidKem"/>; the seam lets state-machine tests run on a fast stand-in.
/// </summary>
internal interface IBraidKem
{
    /// <summary>Generates a key pair: <paramref name="encapsulationKey"/> 1184 bytes, <paramref name="decapsulationKey"/> 2400.</summary>
    void GenerateKeyPair(Span<byte> encapsulationKey, Span<byte> decapsulationKey, RandomSource random);

    /// <summary>The 64-byte header ρ ‖ SHA3-256(ek) of a 1184-byte encapsulation key.</summary>
    void ComputeHeader(ReadOnlySpan<byte> encapsulationKey, Span<byte> header);

    /// <summary>Encapsulation part 1 from the header and 32 secret random bytes: ct1 (960) and the shared secret (32).</summary>
    void EncapsulatePart1(ReadOnlySpan<byte> header, ReadOnlySpan<byte> m, Span<byte> ct1, Span<byte> sharedSecret);

    /// <summary>Encapsulation part 2 once the 1152-byte key vector is known: ct2 (128).</summary>
    void EncapsulatePart2(ReadOnlySpan<byte> header, ReadOnlySpan<byte> encapsulationKeyVector, ReadOnlySpan<byte> m, Span<byte> ct2);

    /// <summary>True when the key vector hashes (with ρ) to the header's key hash.</summary>
    bool EncapsulationKeyMatchesHeader(ReadOnlySpan<byte> encapsulationKeyVector, ReadOnlySpan<byte> header);

    /// <summary>Standard decapsulation of ct1 ‖ ct2 (1088 bytes) into a 32-byte shared secret.</summary>
    void Decapsulate(ReadOnlySpan<byte> decapsulationKey, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret);
}
