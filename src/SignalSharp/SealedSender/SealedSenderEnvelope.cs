using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>Opens either envelope version: the receiver looks only at the high nibble of the first byte.</summary>
internal static class SealedSenderEnvelope
{
    public static UnidentifiedSenderMessageContent Open(IdentityKeyPair local, ReadOnlySpan<byte> message, StaticAgreementCache? cache = null)
    {
        if (message.IsEmpty)
        {
            throw new InvalidSealedSenderMessageException("Message was empty");
        }

        return (message[0] >> 4) switch
        {
            0 or 1 => SealedSenderV1.Open(local, message, cache),
            2 => SealedSenderV2.OpenReceived(local, message, cache),
            int v => throw new InvalidSealedSenderMessageException($"unknown sealed sender message version {v}"),
        };
    }
}
