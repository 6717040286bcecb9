using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>send_ek: ct1 is complete; ek chunks now double as its acknowledgement until ct2 starts arriving.</summary>
internal sealed class Ct1Received(
    ulong epoch,
    SpqrAuthenticator authenticator,
    byte[] decapsulationKey,
    ChunkEncoder ekEncoder,
    byte[] ct1) : BraidState(epoch, authenticator)
{
    /// <summary>The ML-KEM decapsulation key of this epoch.</summary>
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal byte[] DecapsulationKey { get; } = decapsulationKey;

    /// <inheritdoc />
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal override byte[]? SecretDecapsulationKey => DecapsulationKey;

    /// <summary>Encoder over the key vector (continues its numbering).</summary>
    internal ChunkEncoder EkEncoder { get; } = ekEncoder;

    /// <summary>The decoded ct1.</summary>
    internal byte[] Ct1 { get; } = ct1;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.Ct1Received;

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(RandomSource random)
    {
        var encoder = EkEncoder.Next(out var chunk);
        return Sent(new Ct1Received(Epoch, Authenticator, DecapsulationKey, encoder, Ct1), SpqrMessageType.EkCt1Ack, chunk);
    }

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(SpqrMessage message)
    {
        if (message.Type != SpqrMessageType.Ct2)
        {
            return Unchanged;
        }

        var decoder = ChunkDecoder.Create(BraidSizes.Ct2Payload).Add(message.Chunk!);
        return EkSentCt1Received.AfterCt2Chunk(Epoch, Authenticator, DecapsulationKey, Ct1, decoder);
    }
}
