namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// A sealed sender v2 ReceivedMessage (<c>0x22 ‖ C ‖ AT ‖ E ‖ AES-GCM-SIV ciphertext</c>, what a relay delivers to one
/// device) through Bob's whole receiving path: open (ephemeral-key re-derivation, AEAD, authentication tag), validate
/// the certificate, decrypt the inner whisper message.
/// </summary>
public sealed class SealedSenderV2Target : FuzzTarget
{
    public override string Name => "sealed-sender-v2";

    public override void Run(ReadOnlySpan<byte> input) => SealedWorld.Instance.BobDecrypts(input, input.Length);

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => SealedWorld.Instance.V2ReceivedMessages;
}
