using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>
/// Server certificates a sender certificate may name by id (field 8) instead of embedding, the same set that
/// libsignal 0.103 builds in: Signal's staging (id 2) and production (id 3) certificates, and the public test
/// certificate (id 0x7357C357, key = public key of the private key 0xFF×32, signed by the trust root whose
/// private key is all zero, so anyone can mint test certificates). A certificate naming any other id parses but
/// never validates.
/// </summary>
/// <remarks>
/// The staging and production certificates are public data: their bytes were read out of libsignal 0.103 run
/// as a black box (a sender certificate naming the id, then its server certificate), and each is signed by the
/// trust root published for its environment (<see cref="StagingTrustRoot"/>, <see cref="ProductionTrustRoot"/>);
/// <c>KnownServerCertificatesTests</c> pins both facts.
/// </remarks>
public static class KnownServerCertificates
{
    /// <summary>Id of Signal's staging server certificate.</summary>
    public const uint StagingCertificateId = 2;

    /// <summary>Id of Signal's production server certificate.</summary>
    public const uint ProductionCertificateId = 3;

    /// <summary>Id of the public test server certificate.</summary>
    public const uint TestCertificateId = 0x7357C357;

    private const string StagingCertificateHex =
        "0a25080212210539450d63ebd0752c0fd4038b9d07a916f5e174b756d409b5ca79f4c97400631e124064c5a38b1e927497d3d4786b101a623ab34a7da3954fae126b04dba9d7a3604ed88cdc8550950f0d4a9134ceb7e19b94139151d2c3d6e1c81e9d1128aafca806";

    private const string ProductionCertificateHex =
        "0a250803122105bc9d1d290be964810dfa7e94856480a3f7060d004c9762c24c575a1522353a5a1240c11ec3c401eb0107ab38f8600e8720a63169e0e2eb8a3fae24f63099f85ea319c3c1c46d3454706ae2a679d1fee690a488adda98a2290b66c906bb60295ed781";

    private const string StagingTrustRootBase64 = "BYhU6tPjqP46KGZEzRs1OL4U39V5dlPJ/X09ha4rErkm";

    private const string ProductionTrustRootBase64 = "BUkY0I+9+oPgDCn4+Ac6Iu813yvqkDr/ga8DzLxFxuk6";

    private static readonly Lazy<ServerCertificate> Test = new(CreateTest);

    private static readonly Lazy<ServerCertificate> Staging = new(() => ServerCertificate.Deserialize(Convert.FromHexString(StagingCertificateHex)));

    private static readonly Lazy<ServerCertificate> Production = new(() => ServerCertificate.Deserialize(Convert.FromHexString(ProductionCertificateHex)));

    /// <summary>The trust root of the test certificate: the public key of the all-zero private key.</summary>
    public static EcPublicKey TestTrustRoot
    {
        get
        {
            using var root = EcPrivateKey.Deserialize(new byte[32]);
            return root.PublicKey;
        }
    }

    /// <summary>Signal's staging trust root, which signed the staging certificate (id 2).</summary>
    public static EcPublicKey StagingTrustRoot => EcPublicKey.Deserialize(Convert.FromBase64String(StagingTrustRootBase64));

    /// <summary>Signal's production trust root, which signed the production certificate (id 3).</summary>
    public static EcPublicKey ProductionTrustRoot => EcPublicKey.Deserialize(Convert.FromBase64String(ProductionTrustRootBase64));

    /// <summary>The built-in certificate with this id, or null when the id is unknown.</summary>
    /// <param name="id">The id a sender certificate names.</param>
    /// <returns>The certificate or null.</returns>
    public static ServerCertificate? Find(uint id) => id switch
    {
        TestCertificateId => Test.Value,
        StagingCertificateId => Staging.Value,
        ProductionCertificateId => Production.Value,
        _ => null,
    };

    private static ServerCertificate CreateTest()
    {
        using var root = EcPrivateKey.Deserialize(new byte[32]);
        using var server = EcPrivateKey.Deserialize(Enumerable.Repeat((byte)0xFF, 32).ToArray());
        return ServerCertificate.Create(root, TestCertificateId, server.PublicKey);
    }
}
