using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>
/// send_ct: ct2 ‖ MAC is being sent. The first message of the next epoch from the peer shows it decapsulated;
/// this side then becomes send_ek for that epoch.
/// </summary>
internal sealed class Ct2Sampled(ulong epoch, SpqrAuthenticator authenticator, ChunkEncoder ct2Encoder)
    : BraidState(epoch, authenticator)
{
    /// <summary>Encoder over ct2 ‖ MAC.</summary>
    internal ChunkEncoder Ct2Encoder { get; } = ct2Encoder;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.Ct2Sampled;

    /// <summary>Runs encapsulation part 2, MACs ct1 ‖ ct2 and starts sending ct2 ‖ MAC.</summary>
    internal static Ct2Sampled Compute(IBraidKem kem, ulong epoch, SpqrAuthenticator authenticator, byte[] header, byte[] m, byte[] ct1, byte[] encapsulationKeyVector)
    {
        var payload = new byte[BraidSizes.Ct2Payload];
        var ct2 = payload.AsSpan(0, BraidSizes.Ct2);
        kem.EncapsulatePart2(header, encapsulationKeyVector, m, ct2);
        authenticator.CiphertextMac(epoch, ct1, ct2).CopyTo(payload, BraidSizes.Ct2);
        return new Ct2Sampled(epoch, authenticator, new ChunkEncoder(payload));
    }

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(IBraidKem kem, RandomSource random)
    {
        var encoder = Ct2Encoder.Next(out var chunk);
        return Sent(new Ct2Sampled(Epoch, Authenticator, encoder), SpqrMessageType.Ct2, chunk);
    }

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(IBraidKem kem, SpqrMessage message) => Unchanged;

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveLaterEpoch(SpqrMessage message)
        => message.Epoch == Epoch + 1
            ? new(new KeysUnsampled(Epoch + 1, Authenticator), null)
            : base.ReceiveLaterEpoch(message);
}
