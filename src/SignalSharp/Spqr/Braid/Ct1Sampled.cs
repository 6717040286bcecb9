using SignalSharp.Crypto;
using SignalSharp.Lattice;

namespace SignalSharp.Spqr.Braid;

/// <summary>send_ct: sending ct1 chunks while collecting the key vector.</summary>
internal sealed class Ct1Sampled(
    ulong epoch,
    SpqrAuthenticator authenticator,
    byte[] header,
    byte[] m,
    ChunkEncoder ct1Encoder,
    ChunkDecoder ekDecoder) : BraidState(epoch, authenticator)
{
    /// <summary>The verified header.</summary>
    internal byte[] Header { get; } = header;

    /// <summary>The encapsulation randomness, kept secret until ct2 is computed.</summary>
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal byte[] M { get; } = m;

    /// <inheritdoc />
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal override byte[]? SecretM => M;

    /// <summary>Encoder over ct1.</summary>
    internal ChunkEncoder Ct1Encoder { get; } = ct1Encoder;

    /// <summary>Decoder collecting the key vector.</summary>
    internal ChunkDecoder EkDecoder { get; } = ekDecoder;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.Ct1Sampled;

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(RandomSource random)
    {
        var encoder = Ct1Encoder.Next(out var chunk);
        return Sent(new Ct1Sampled(Epoch, Authenticator, Header, M, encoder, EkDecoder), SpqrMessageType.Ct1, chunk);
    }

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(SpqrMessage message)
    {
        bool acknowledged;
        switch (message.Type)
        {
            case SpqrMessageType.Ek:
                acknowledged = false;
                break;
            case SpqrMessageType.EkCt1Ack:
                acknowledged = true;
                break;
            default:
                return Unchanged;
        }

        var decoder = EkDecoder.Add(message.Chunk!);
        if (!decoder.IsComplete)
        {
            if (acknowledged)
            {
                return new(new Ct1Acknowledged(Epoch, Authenticator, Header, M, Ct1Encoder.PayloadArray, decoder), null);
            }

            return ReferenceEquals(decoder, EkDecoder)
                ? Unchanged
                : new(new Ct1Sampled(Epoch, Authenticator, Header, M, Ct1Encoder, decoder), null);
        }

        var vector = CheckedKeyVector(decoder, Header);
        if (acknowledged)
        {
            return new(Ct2Sampled.Compute(Epoch, Authenticator, Header, M, Ct1Encoder.PayloadArray, vector), null);
        }

        return new(new EkReceivedCt1Sampled(Epoch, Authenticator, Header, M, Ct1Encoder, vector), null);
    }

    /// <summary>Decodes the key vector and checks it against the header's hash.</summary>
    /// <exception cref="InvalidMessageException">The key vector does not match the header.</exception>
    internal static byte[] CheckedKeyVector(ChunkDecoder decoder, byte[] header)
    {
        var vector = decoder.Decode();
        if (!MlKem768.EncapsulationKeyMatchesHeader(vector, header))
        {
            throw new InvalidMessageException("SPQR encapsulation key does not match its header");
        }

        return vector;
    }
}
