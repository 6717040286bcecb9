using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>send_ek: sending ek chunks while collecting ct1.</summary>
internal sealed class HeaderSent(
    ulong epoch,
    SpqrAuthenticator authenticator,
    byte[] decapsulationKey,
    ChunkEncoder ekEncoder,
    ChunkDecoder ct1Decoder) : BraidState(epoch, authenticator)
{
    /// <summary>The ML-KEM decapsulation key of this epoch.</summary>
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal byte[] DecapsulationKey { get; } = decapsulationKey;

    /// <inheritdoc />
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal override byte[]? SecretDecapsulationKey => DecapsulationKey;

    /// <summary>Encoder over the key vector.</summary>
    internal ChunkEncoder EkEncoder { get; } = ekEncoder;

    /// <summary>Decoder collecting ct1.</summary>
    internal ChunkDecoder Ct1Decoder { get; } = ct1Decoder;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.HeaderSent;

    /// <summary>HeaderSent with <paramref name="decoder"/>, or Ct1Received if ct1 is already complete.</summary>
    internal static BraidState AfterCt1Chunk(ulong epoch, SpqrAuthenticator authenticator, byte[] decapsulationKey, ChunkEncoder ekEncoder, ChunkDecoder decoder)
        => decoder.IsComplete
            ? new Ct1Received(epoch, authenticator, decapsulationKey, ekEncoder, decoder.Decode())
            : new HeaderSent(epoch, authenticator, decapsulationKey, ekEncoder, decoder);

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(RandomSource random)
    {
        var encoder = EkEncoder.Next(out var chunk);
        return Sent(new HeaderSent(Epoch, Authenticator, DecapsulationKey, encoder, Ct1Decoder), SpqrMessageType.Ek, chunk);
    }

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(SpqrMessage message)
    {
        if (message.Type != SpqrMessageType.Ct1)
        {
            return Unchanged;
        }

        var decoder = Ct1Decoder.Add(message.Chunk!);
        return ReferenceEquals(decoder, Ct1Decoder)
            ? Unchanged
            : new(AfterCt1Chunk(Epoch, Authenticator, DecapsulationKey, EkEncoder, decoder), null);
    }
}
