using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>send_ct, epoch start: collecting header ‖ MAC chunks (sending no payload meanwhile).</summary>
internal sealed class NoHeaderReceived(ulong epoch, SpqrAuthenticator authenticator, ChunkDecoder headerDecoder)
    : BraidState(epoch, authenticator)
{
    /// <summary>Decoder collecting header ‖ MAC.</summary>
    internal ChunkDecoder HeaderDecoder { get; } = headerDecoder;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.NoHeaderReceived;

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(IBraidKem kem, RandomSource random) => Sent(this, SpqrMessageType.None, null);

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(IBraidKem kem, SpqrMessage message)
    {
        if (message.Type != SpqrMessageType.Hdr)
        {
            return Unchanged;
        }

        var decoder = HeaderDecoder.Add(message.Chunk!);
        if (ReferenceEquals(decoder, HeaderDecoder))
        {
            return Unchanged;
        }

        if (!decoder.IsComplete)
        {
            return new(new NoHeaderReceived(Epoch, Authenticator, decoder), null);
        }

        var payload = decoder.Decode();
        var header = payload.AsSpan(0, BraidSizes.Header).ToArray();
        if (!Authenticator.VerifyHeaderMac(Epoch, header, payload.AsSpan(BraidSizes.Header, BraidSizes.Mac)))
        {
            throw new InvalidMessageException("SPQR header MAC does not verify");
        }

        return new(new HeaderReceived(Epoch, Authenticator, header), null);
    }
}
