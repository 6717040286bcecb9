using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>send_ct: the key vector is complete; sending ct1 chunks until the peer acknowledges ct1.</summary>
internal sealed class EkReceivedCt1Sampled(
    ulong epoch,
    SpqrAuthenticator authenticator,
    byte[] header,
    byte[] m,
    ChunkEncoder ct1Encoder,
    byte[] encapsulationKeyVector) : BraidState(epoch, authenticator)
{
    /// <summary>The verified header.</summary>
    internal byte[] Header { get; } = header;

    /// <summary>The encapsulation randomness.</summary>
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal byte[] M { get; } = m;

    /// <inheritdoc />
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal override byte[]? SecretM => M;

    /// <summary>Encoder over ct1.</summary>
    internal ChunkEncoder Ct1Encoder { get; } = ct1Encoder;

    /// <summary>The verified key vector.</summary>
    internal byte[] EncapsulationKeyVector { get; } = encapsulationKeyVector;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.EkReceivedCt1Sampled;

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(RandomSource random)
    {
        var encoder = Ct1Encoder.Next(out var chunk);
        return Sent(new EkReceivedCt1Sampled(Epoch, Authenticator, Header, M, encoder, EncapsulationKeyVector), SpqrMessageType.Ct1, chunk);
    }

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(SpqrMessage message)
    {
        if (message.Type is not (SpqrMessageType.Ct1Ack or SpqrMessageType.EkCt1Ack))
        {
            return Unchanged;
        }

        return new(Ct2Sampled.Compute(Epoch, Authenticator, Header, M, Ct1Encoder.PayloadArray, EncapsulationKeyVector), null);
    }
}
