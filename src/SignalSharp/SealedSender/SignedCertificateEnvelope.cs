namespace SignalSharp.SealedSender;

/// <summary>
/// The outer layer shared by server and sender certificates: <c>1 certificate</c>, <c>2 signature</c>, both
/// required. The slices point into the received bytes, because signatures cover those exact bytes.
/// </summary>
internal static class SignedCertificateEnvelope
{
    internal static void Read(
        ReadOnlySpan<byte> serialized, string kind, out ReadOnlySpan<byte> certificate, out ReadOnlySpan<byte> signature)
    {
        var reader = new ProtoReader(serialized);
        certificate = default;
        signature = default;
        bool hasCertificate = false, hasSignature = false;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                    certificate = reader.ReadBytes();
                    hasCertificate = true;
                    break;
                case 2:
                    ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                    signature = reader.ReadBytes();
                    hasSignature = true;
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (!hasCertificate || !hasSignature)
        {
            throw new InvalidCertificateException($"{kind} certificate lacks its certificate or signature");
        }
    }
}
