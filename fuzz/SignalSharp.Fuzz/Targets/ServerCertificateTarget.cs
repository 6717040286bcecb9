using SignalSharp.SealedSender;

namespace SignalSharp.Fuzz.Targets;

/// <summary>The server certificate (signed outer layer, key id, key), then its signature check against the trust root.</summary>
public sealed class ServerCertificateTarget : FuzzTarget
{
    public override string Name => "server-certificate";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var certificate = ServerCertificate.Deserialize(input);
        _ = certificate.IsSignedBy(SealedWorld.Instance.TrustRoot.PublicKey);
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) =>
        [SealedWorld.Instance.ServerCertificate.Serialize(), KnownServerCertificates.Find(KnownServerCertificates.TestCertificateId)!.Serialize()];
}
