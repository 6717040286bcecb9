using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Spqr.Braid;

/// <summary>
/// send_ct: the header is verified. The next send runs encapsulation part 1, which fixes this epoch's
/// shared secret: the epoch secret is emitted with that send and the authenticator updated.
/// </summary>
internal sealed class HeaderReceived(ulong epoch, SpqrAuthenticator authenticator, byte[] header)
    : BraidState(epoch, authenticator)
{
    /// <summary>The verified 64-byte header.</summary>
    internal byte[] Header { get; } = header;

    /// <inheritdoc/>
    internal override BraidStateKind Kind => BraidStateKind.HeaderReceived;

    /// <inheritdoc/>
    internal override BraidSendOutcome Send(IBraidKem kem, RandomSource random)
    {
        var m = new byte[BraidSizes.Secret];
        random.Fill(m);
        var ct1 = new byte[BraidSizes.Ct1];
        Span<byte> sharedSecret = stackalloc byte[BraidSizes.Secret];
        kem.EncapsulatePart1(Header, m, ct1, sharedSecret);
        var secret = EpochSecret.Derive(Epoch, sharedSecret);
        CryptographicOperations.ZeroMemory(sharedSecret);
        var updated = Authenticator.Update(Epoch, secret.Secret);
        var encoder = new ChunkEncoder(ct1).Next(out var chunk);
        var next = new Ct1Sampled(Epoch, updated, Header, m, encoder, ChunkDecoder.Create(BraidSizes.EncapsulationKeyVector));
        return Sent(next, SpqrMessageType.Ct1, chunk, secret);
    }

    /// <inheritdoc/>
    protected override BraidReceiveOutcome ReceiveCurrentEpoch(IBraidKem kem, SpqrMessage message) => Unchanged;
}
