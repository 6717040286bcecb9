namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// A sealed sender v1 envelope (<c>0x11 ‖ protobuf {ephemeral key, encrypted static key, encrypted content}</c>)
/// through Bob's whole receiving path on a fresh copy of his session: open, validate the certificate, decrypt the inner
/// message. The unread real envelopes open and decrypt, so mutations reach every check before and after the MACs.
/// </summary>
public sealed class SealedSenderV1Target : FuzzTarget
{
    public override string Name => "sealed-sender-v1";

    public override void Run(ReadOnlySpan<byte> input) => SealedWorld.Instance.BobDecrypts(input, input.Length);

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => SealedWorld.Instance.V1Messages;
}
