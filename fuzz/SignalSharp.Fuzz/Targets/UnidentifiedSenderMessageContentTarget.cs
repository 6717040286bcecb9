using SignalSharp.SealedSender;

namespace SignalSharp.Fuzz.Targets;

/// <summary>The content parser alone (protobuf, type, hint, group id, the embedded sender certificate), then validation.</summary>
public sealed class UnidentifiedSenderMessageContentTarget : FuzzTarget
{
    public override string Name => "unidentified-sender-message-content";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var content = UnidentifiedSenderMessageContent.Deserialize(input);
        _ = new UnidentifiedSenderMessageContent(content.MessageType, content.SenderCertificate, content.Content, content.ContentHint, content.GroupId).Serialize();
        _ = content.SenderCertificate.Validate(SealedWorld.Instance.TrustRoot.PublicKey, FuzzWorld.Timestamp);
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => SealedWorld.Instance.Contents;
}
