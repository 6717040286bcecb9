using SignalSharp;
using SignalSharp.SealedSender;
using Xunit;

namespace SignalSharp.Tests.SealedSender;

/// <summary>The built-in server certificates that a sender certificate may name by id (field 8).</summary>
public class KnownServerCertificatesTests
{
    [Theory]
    [InlineData(KnownServerCertificates.StagingCertificateId, "BYhU6tPjqP46KGZEzRs1OL4U39V5dlPJ/X09ha4rErkm", "BTlFDWPr0HUsD9QDi50HqRb14XS3VtQJtcp59Ml0AGMe")]
    [InlineData(KnownServerCertificates.ProductionCertificateId, "BUkY0I+9+oPgDCn4+Ac6Iu813yvqkDr/ga8DzLxFxuk6", "BbydHSkL6WSBDfp+lIVkgKP3Bg0ATJdiwkxXWhUiNTpa")]
    public void StagingAndProductionCertificatesCarryTheirIdAndKeyAndAreSignedByTheirPublishedTrustRoot(uint id, string trustRoot, string serverKey)
    {
        var certificate = KnownServerCertificates.Find(id)!;
        Assert.Equal(id, certificate.KeyId);
        Assert.Equal(serverKey, Convert.ToBase64String(certificate.Key.Serialize()));
        Assert.True(certificate.IsSignedBy(EcPublicKey.Deserialize(Convert.FromBase64String(trustRoot))));
    }

    [Fact]
    public void TheTrustRootPropertiesAreThePublishedKeysAndEachSignsOnlyItsOwnCertificate()
    {
        Assert.Equal("BYhU6tPjqP46KGZEzRs1OL4U39V5dlPJ/X09ha4rErkm", Convert.ToBase64String(KnownServerCertificates.StagingTrustRoot.Serialize()));
        Assert.Equal("BUkY0I+9+oPgDCn4+Ac6Iu813yvqkDr/ga8DzLxFxuk6", Convert.ToBase64String(KnownServerCertificates.ProductionTrustRoot.Serialize()));
        var staging = KnownServerCertificates.Find(KnownServerCertificates.StagingCertificateId)!;
        var production = KnownServerCertificates.Find(KnownServerCertificates.ProductionCertificateId)!;
        Assert.False(staging.IsSignedBy(KnownServerCertificates.ProductionTrustRoot));
        Assert.False(production.IsSignedBy(KnownServerCertificates.StagingTrustRoot));
        Assert.False(production.IsSignedBy(KnownServerCertificates.TestTrustRoot));
    }

    [Fact]
    public void ASenderCertificateNamingTheProductionIdResolvesToTheProductionCertificate()
    {
        // Signal's production server key is not ours, so the sender signature cannot be made valid here: the
        // certificate resolves its signer, the signer checks out against the production root, and validation
        // still fails on the sender signature (as it does in libsignal, see SealedSenderInteropTests).
        using var identity = IdentityKeyPair.Generate();
        var certificate = SenderCertificate.Deserialize(NamingSigner(identity.IdentityKey, KnownServerCertificates.ProductionCertificateId));
        Assert.Same(KnownServerCertificates.Find(KnownServerCertificates.ProductionCertificateId), certificate.Signer);
        Assert.True(certificate.Signer!.IsSignedBy(KnownServerCertificates.ProductionTrustRoot));
        Assert.False(certificate.Validate(KnownServerCertificates.ProductionTrustRoot, 0));
    }

    /// <summary>{1 {2 device 1, 3 expires, 4 identity key, 6 uuid, 8 signer id}, 2 zero signature}.</summary>
    private static byte[] NamingSigner(IdentityKey identity, uint signerId)
    {
        var inner = new List<byte> { 0x10, 0x01, 0x19 };
        inner.AddRange(BitConverter.GetBytes(1_900_000_000_000UL));
        inner.Add(0x22);
        inner.Add(33);
        inner.AddRange(identity.Serialize());
        byte[] uuid = "a11ce000-0000-4000-8000-00000000000a"u8.ToArray();
        inner.Add(0x32);
        inner.Add((byte)uuid.Length);
        inner.AddRange(uuid);
        inner.Add(0x40);
        inner.Add((byte)signerId);
        var outer = new List<byte> { 0x0a, (byte)inner.Count };
        outer.AddRange(inner);
        outer.AddRange([0x12, 64]);
        outer.AddRange(new byte[64]);
        return [.. outer];
    }
}
