using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>send_ek: sending header chunks until the first ct1 chunk shows the peer has the header.</summary>
internal sealed class KeysSampled(
    ulong epoch,
    SpqrAuthenticator authenticator,
    byte[] decapsulationKey,
    byte[] encapsulationKeyVector,
    ChunkEncoder headerEncoder) : BraidState(epoch, authenticator)
{
    /// <summary>The ML-KEM decapsulation key of this epoch.</summary>
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal byte[] DecapsulationKey { get; } = decapsulationKey;

    /// <inheritdoc />
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal override byte[]? SecretDecapsulationKey => DecapsulationKey;

    /// <summary>The 1152-byte key vector still to be sent.</summary>
    internal byte[] EncapsulationKeyVector { get; } = encapsulationKeyVector;

    /// <summary>Encoder over header ‖ header MAC.</summary>
    internal ChunkEncoder HeaderEncoder { get; } = headerEncoder;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.KeysSampled;

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(RandomSource random)
    {
        var encoder = HeaderEncoder.Next(out var chunk);
        return Sent(new KeysSampled(Epoch, Authenticator, DecapsulationKey, EncapsulationKeyVector, encoder), SpqrMessageType.Hdr, chunk);
    }

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(SpqrMessage message)
    {
        if (message.Type != SpqrMessageType.Ct1)
        {
            return Unchanged;
        }

        var decoder = ChunkDecoder.Create(BraidSizes.Ct1).Add(message.Chunk!);
        var ekEncoder = new ChunkEncoder(EncapsulationKeyVector);
        return new(HeaderSent.AfterCt1Chunk(Epoch, Authenticator, DecapsulationKey, ekEncoder, decoder), null);
    }
}
