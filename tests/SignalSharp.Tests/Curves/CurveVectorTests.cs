using SignalSharp.Curves;
using Xunit;

namespace SignalSharp.Tests.Curves;

/// <summary>
/// Known answers from libsignal's rust/core/src/curve/curve25519.rs tests (test_agreement, test_signature),
/// as recorded in the wire facts §13, plus RFC 7748 §6.1.
/// </summary>
public class CurveVectorTests
{
    private const string AlicePrivate = "c806439dc9d2c476ffed8f2580c0888d58ab406bf7ae3698879021b96bb4bf59";
    private const string AlicePublic = "1bb75966f2e93a3691dfff942bb2a466a1c08b8d78ca3f4d6df8b8bfa2e4ee28";
    private const string BobPrivate = "b03b34c33a1c44f225b662d2bf4859b8135411fa7b0386d45fb75dc5b91b4466";
    private const string BobPublic = "653614993d2b15ee9e5fd3d86ce719ef4ec1daae1886a87b3f5fa9565a27a22f";
    private const string Shared = "325f239328941ced6e673b86ba41017448e99b649a9c3806c1dd7ca4c477e629";

    internal const string SigningPublic = "ab7e717d4a163b7d9a1d8071dfe9dcf8cdcd1cea3339b6356be84d887e322c64";
    internal const string SignedMessage = "05edce9d9c415ca78cb7252e72c2c4a554d3eb29485a0e1d503118d1a82d99fb4a";
    internal const string Signature = "5de88ca9a89b4a115da79109c67c9c7464a3e4180274f1cb8c63c2984e286dfbede82deb9dcd9fae0bfbb821569b3d9001bd8130cd11d486cef047bd60b86e88";
    internal const string SigningPrivate = "c097248412e58bf05df487968205132794178e367637f5818f81e0e6ce73e865";

    private static byte[] Hex(string s) => Convert.FromHexString(s);

    [Fact]
    public void X25519PublicKeysMatchLibsignalVector()
    {
        var pub = new byte[32];
        X25519.ComputePublicKey(Hex(AlicePrivate), pub);
        Assert.Equal(AlicePublic, Convert.ToHexStringLower(pub));
        X25519.ComputePublicKey(Hex(BobPrivate), pub);
        Assert.Equal(BobPublic, Convert.ToHexStringLower(pub));
    }

    [Fact]
    public void X25519SharedSecretMatchesLibsignalVectorBothWays()
    {
        var shared = new byte[32];
        Assert.True(X25519.TryAgree(Hex(AlicePrivate), Hex(BobPublic), shared));
        Assert.Equal(Shared, Convert.ToHexStringLower(shared));
        Assert.True(X25519.TryAgree(Hex(BobPrivate), Hex(AlicePublic), shared));
        Assert.Equal(Shared, Convert.ToHexStringLower(shared));
    }

    [Fact]
    public void X25519MatchesRfc7748Section6Vector()
    {
        // RFC 7748 §6.1 (Alice's key pair and the shared secret).
        var pub = new byte[32];
        X25519.ComputePublicKey(Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"), pub);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(pub));
        var shared = new byte[32];
        Assert.True(X25519.TryAgree(Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
            Hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), shared));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Convert.ToHexStringLower(shared));
    }

    [Fact]
    public void XEdDsaLibsignalVectorVerifies()
    {
        Assert.True(XEdDsa.Verify(Hex(SigningPublic), Hex(SignedMessage), Hex(Signature)));
    }

    [Fact]
    public void XEdDsaVectorFailsForEverySingleBitFlip()
    {
        var pub = Hex(SigningPublic);
        var msg = Hex(SignedMessage);
        var sig = Hex(Signature);
        for (int bit = 0; bit < 512; bit++)
        {
            sig[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(XEdDsa.Verify(pub, msg, sig), $"bit {bit} flipped still verifies");
            sig[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.True(XEdDsa.Verify(pub, msg, sig));
    }

    [Fact]
    public void XEdDsaVectorKeyPairIsConsistent()
    {
        var pub = new byte[32];
        X25519.ComputePublicKey(Hex(SigningPrivate), pub);
        Assert.Equal(SigningPublic, Convert.ToHexStringLower(pub));
    }
}
