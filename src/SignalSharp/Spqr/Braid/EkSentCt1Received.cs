using SignalSharp.Crypto;
using SignalSharp.Lattice;

namespace SignalSharp.Spqr.Braid;

/// <summary>
/// send_ek: collecting ct2 ‖ MAC (sending Ct1Ack meanwhile). Once it decodes: decapsulate, derive the epoch
/// secret, update the authenticator, verify the ciphertext MAC, and become send_ct for the next epoch.
/// </summary>
internal sealed class EkSentCt1Received(
    ulong epoch,
    SpqrAuthenticator authenticator,
    byte[] decapsulationKey,
    byte[] ct1,
    ChunkDecoder ct2Decoder) : BraidState(epoch, authenticator)
{
    /// <summary>The ML-KEM decapsulation key of this epoch.</summary>
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal byte[] DecapsulationKey { get; } = decapsulationKey;

    /// <inheritdoc />
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    internal override byte[]? SecretDecapsulationKey => DecapsulationKey;

    /// <summary>The decoded ct1.</summary>
    internal byte[] Ct1 { get; } = ct1;

    /// <summary>Decoder collecting ct2 ‖ MAC.</summary>
    internal ChunkDecoder Ct2Decoder { get; } = ct2Decoder;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.EkSentCt1Received;

    /// <summary>EkSentCt1Received with <paramref name="decoder"/>, or the finished epoch if ct2 is complete.</summary>
    internal static BraidReceiveOutcome AfterCt2Chunk(ulong epoch, SpqrAuthenticator authenticator, byte[] decapsulationKey, byte[] ct1, ChunkDecoder decoder)
    {
        if (!decoder.IsComplete)
        {
            return new(new EkSentCt1Received(epoch, authenticator, decapsulationKey, ct1, decoder), null);
        }

        var payload = decoder.Decode();
        var ct2 = payload.AsSpan(0, BraidSizes.Ct2);
        var mac = payload.AsSpan(BraidSizes.Ct2, BraidSizes.Mac);
        var ciphertext = new byte[BraidSizes.Ct1 + BraidSizes.Ct2];
        ct1.CopyTo(ciphertext, 0);
        ct2.CopyTo(ciphertext.AsSpan(BraidSizes.Ct1));
        Span<byte> sharedSecret = stackalloc byte[BraidSizes.Secret];
        MlKem768.Decapsulate(decapsulationKey, ciphertext, sharedSecret);
        var secret = EpochSecret.Derive(epoch, sharedSecret);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(sharedSecret);
        var updated = authenticator.Update(epoch, secret.Secret);
        if (!updated.VerifyCiphertextMac(epoch, ct1, ct2, mac))
        {
            secret.Wipe();
            throw new InvalidMessageException("SPQR ciphertext MAC does not verify");
        }

        var next = new NoHeaderReceived(epoch + 1, updated, ChunkDecoder.Create(BraidSizes.HeaderPayload));
        return new(next, secret);
    }

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(RandomSource random) => Sent(this, SpqrMessageType.Ct1Ack, null);

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(SpqrMessage message)
    {
        if (message.Type != SpqrMessageType.Ct2)
        {
            return Unchanged;
        }

        var decoder = Ct2Decoder.Add(message.Chunk!);
        return ReferenceEquals(decoder, Ct2Decoder)
            ? Unchanged
            : AfterCt2Chunk(Epoch, Authenticator, DecapsulationKey, Ct1, decoder);
    }
}
