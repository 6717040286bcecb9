using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>send_ct: ct1 is acknowledged; sending no payload while the rest of the key vector arrives.</summary>
internal sealed class Ct1Acknowledged(
    ulong epoch,
    SpqrAuthenticator authenticator,
    byte[] header,
    byte[] m,
    byte[] ct1,
    ChunkDecoder ekDecoder) : BraidState(epoch, authenticator)
{
    /// <summary>The verified header.</summary>
    internal byte[] Header { get; } = header;

    /// <summary>The encapsulation randomness.</summary>
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal byte[] M { get; } = m;

    /// <inheritdoc />
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal override byte[]? SecretM => M;

    /// <summary>ct1 (needed for the ciphertext MAC).</summary>
    internal byte[] Ct1 { get; } = ct1;

    /// <summary>Decoder collecting the key vector.</summary>
    internal ChunkDecoder EkDecoder { get; } = ekDecoder;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.Ct1Acknowledged;

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(RandomSource random) => Sent(this, SpqrMessageType.None, null);

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(SpqrMessage message)
    {
        if (message.Type is not (SpqrMessageType.Ek or SpqrMessageType.EkCt1Ack))
        {
            return Unchanged;
        }

        var decoder = EkDecoder.Add(message.Chunk!);
        if (ReferenceEquals(decoder, EkDecoder))
        {
            return Unchanged;
        }

        if (!decoder.IsComplete)
        {
            return new(new Ct1Acknowledged(Epoch, Authenticator, Header, M, Ct1, decoder), null);
        }

        var vector = Ct1Sampled.CheckedKeyVector(decoder, Header);
        return new(Ct2Sampled.Compute(Epoch, Authenticator, Header, M, Ct1, vector), null);
    }
}
