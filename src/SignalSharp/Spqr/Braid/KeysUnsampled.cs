using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>send_ek, epoch start: the next send samples an ML-KEM key pair and sends the first header chunk.</summary>
internal sealed class KeysUnsampled(ulong epoch, SpqrAuthenticator authenticator) : BraidState(epoch, authenticator)
{
    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.KeysUnsampled;

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(IBraidKem kem, RandomSource random)
    {
        var encapsulationKey = new byte[BraidSizes.EncapsulationKey];
        var decapsulationKey = new byte[BraidSizes.DecapsulationKey];
        kem.GenerateKeyPair(encapsulationKey, decapsulationKey, random);
        var payload = new byte[BraidSizes.HeaderPayload];
        kem.ComputeHeader(encapsulationKey, payload.AsSpan(0, BraidSizes.Header));
        Authenticator.HeaderMac(Epoch, payload.AsSpan(0, BraidSizes.Header)).CopyTo(payload, BraidSizes.Header);
        var encoder = new ChunkEncoder(payload).Next(out var chunk);
        var vector = encapsulationKey.AsSpan(0, BraidSizes.EncapsulationKeyVector).ToArray();
        var next = new KeysSampled(Epoch, Authenticator, decapsulationKey, vector, encoder);
        return Sent(next, SpqrMessageType.Hdr, chunk);
    }

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(IBraidKem kem, SpqrMessage message) => Unchanged;
}
