using SignalSharp.SealedSender;

namespace SignalSharp.Fuzz.Targets;

/// <summary>The sender certificate (signed outer layer, inner fields, embedded or known server certificate), then validation.</summary>
public sealed class SenderCertificateTarget : FuzzTarget
{
    public override string Name => "sender-certificate";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var certificate = SenderCertificate.Deserialize(input);
        _ = certificate.SenderAddress;
        _ = certificate.Validate([SealedWorld.Instance.TrustRoot.PublicKey, KnownServerCertificates.TestTrustRoot], FuzzWorld.Timestamp);
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [SealedWorld.Instance.SenderCertificate.Serialize()];
}
