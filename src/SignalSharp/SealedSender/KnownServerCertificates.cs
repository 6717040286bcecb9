using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>
/// Server certificates a sender certificate may name by id (field 8) instead of embedding. Only the public test
/// certificate is known here: id 0x7357C357, key = public key of the private key 0xFF×32, signed by the trust
/// root whose private key is all zero (so anyone can mint test certificates). libsignal's staging (2) and
/// production (3) certificates are not built in; a certificate naming them parses but does not validate.
/// </summary>
public static class KnownServerCertificates
{
    /// <summary>Id of the public test server certificate.</summary>
    public const uint TestCertificateId = 0x7357C357;

    private static readonly Lazy<ServerCertificate> Test = new(CreateTest);

    /// <summary>The trust root of the test certificate: the public key of the all-zero private key.</summary>
    public static EcPublicKey TestTrustRoot
    {
        get
        {
            using var root = EcPrivateKey.Deserialize(new byte[32]);
            return root.PublicKey;
        }
    }

    /// <summary>The built-in certificate with this id, or null when the id is unknown.</summary>
    /// <param name="id">The id a sender certificate names.</param>
    /// <returns>The certificate or null.</returns>
    public static ServerCertificate? Find(uint id) => id == TestCertificateId ? Test.Value : null;

    private static ServerCertificate CreateTest()
    {
        using var root = EcPrivateKey.Deserialize(new byte[32]);
        using var server = EcPrivateKey.Deserialize(Enumerable.Repeat((byte)0xFF, 32).ToArray());
        return ServerCertificate.Create(root, TestCertificateId, server.PublicKey);
    }
}
