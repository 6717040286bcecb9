using SignalSharp.Crypto;
using SignalSharp.Lattice;

namespace SignalSharp.Spqr.Braid;

/// <summary>The braid's KEM: FIPS 203 ML-KEM-768 with SignalSharp's split encapsulation.</summary>
internal sealed class MlKem768BraidKem : IBraidKem
{
    private MlKem768BraidKem()
    {
    }

    /// <summary>The single instance.</summary>
    internal static MlKem768BraidKem Instance { get; } = new();

    /// <inheritdoc/>
    public void GenerateKeyPair(Span<byte> encapsulationKey, Span<byte> decapsulationKey, RandomSource random)
        => MlKem768.GenerateKeyPair(encapsulationKey, decapsulationKey, random);

    /// <inheritdoc/>
    public void ComputeHeader(ReadOnlySpan<byte> encapsulationKey, Span<byte> header)
        => MlKem768.ComputeHeader(encapsulationKey, header);

    /// <inheritdoc/>
    public void EncapsulatePart1(ReadOnlySpan<byte> header, ReadOnlySpan<byte> m, Span<byte> ct1, Span<byte> sharedSecret)
        => MlKem768.EncapsulatePart1(header, m, ct1, sharedSecret);

    /// <inheritdoc/>
    public void EncapsulatePart2(ReadOnlySpan<byte> header, ReadOnlySpan<byte> encapsulationKeyVector, ReadOnlySpan<byte> m, Span<byte> ct2)
        => MlKem768.EncapsulatePart2(header, encapsulationKeyVector, m, ct2);

    /// <inheritdoc/>
    public bool EncapsulationKeyMatchesHeader(ReadOnlySpan<byte> encapsulationKeyVector, ReadOnlySpan<byte> header)
        => MlKem768.EncapsulationKeyMatchesHeader(encapsulationKeyVector, header);

    /// <inheritdoc/>
    public void Decapsulate(ReadOnlySpan<byte> decapsulationKey, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
        => MlKem768.Decapsulate(decapsulationKey, ciphertext, sharedSecret);
}
