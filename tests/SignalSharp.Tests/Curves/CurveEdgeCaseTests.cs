using SignalSharp.Curves;
using SignalSharp.Keys;
using Xunit;

namespace SignalSharp.Tests.Curves;

/// <summary>
/// Edge cases of X25519, XEdDSA and the PQXDH base-key check (wire facts §1.1, §1.2). Small-order points are
/// the standard list (RFC 7748 §7 and the libsodium blocklist): 0, 1, and the u-coordinates of order 8.
/// </summary>
public class CurveEdgeCaseTests
{
    private static readonly string[] SmallOrderU =
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p − 1
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p (≡ 0)
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p + 1 (≡ 1)
    ];

    [Fact]
    public void AgreementWithSmallOrderPointsIsRejected()
    {
        using var key = EcPrivateKey.Generate();
        foreach (var hex in SmallOrderU)
        {
            var theirs = EcPublicKey.FromPublicKeyBytes(Convert.FromHexString(hex));
            Assert.Throws<InvalidKeyException>(() => key.CalculateAgreement(theirs));
            var raw = new byte[32];
            raw[0] = 0xAA;
            Assert.False(X25519.TryAgree(key.Serialize(), Convert.FromHexString(hex), raw));
            Assert.All(raw, b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void SmallOrderPointsAreNotTorsionFree()
    {
        foreach (var hex in SmallOrderU)
        {
            Assert.False(EcPublicKey.FromPublicKeyBytes(Convert.FromHexString(hex)).IsCanonicalAndTorsionFree(), hex);
        }
    }

    [Fact]
    public void NormalPublicKeysAreCanonicalAndTorsionFree()
    {
        Assert.True(EcPublicKey.FromPublicKeyBytes(Convert.FromHexString(CurveVectorTests.SigningPublic)).IsCanonicalAndTorsionFree());
        for (int i = 0; i < 20; i++)
        {
            using var key = EcPrivateKey.Generate();
            Assert.True(key.PublicKey.IsCanonicalAndTorsionFree());
        }
    }

    [Fact]
    public void HighBitSetIsRejectedByCanonicalCheck()
    {
        using var key = EcPrivateKey.Generate();
        var raw = key.PublicKey.PublicKeyBytes.ToArray();
        raw[31] |= 0x80;
        Assert.False(EcPublicKey.FromPublicKeyBytes(raw).IsCanonicalAndTorsionFree());
        // X25519 itself ignores bit 255: the agreement is unchanged.
        using var other = EcPrivateKey.Generate();
        Assert.Equal(other.CalculateAgreement(key.PublicKey), other.CalculateAgreement(EcPublicKey.FromPublicKeyBytes(raw)));
    }

    [Fact]
    public void ValuesAtOrAbovePAreRejectedByCanonicalCheck()
    {
        // u = 9 (the base point, valid) written as 9 + p is non-canonical.
        var nine = new byte[32];
        nine[0] = 9;
        Assert.True(EcPublicKey.FromPublicKeyBytes(nine).IsCanonicalAndTorsionFree());
        var ninePlusP = Convert.FromHexString("f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.False(EcPublicKey.FromPublicKeyBytes(ninePlusP).IsCanonicalAndTorsionFree());
        var max = Convert.FromHexString("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.False(EcPublicKey.FromPublicKeyBytes(max).IsCanonicalAndTorsionFree());
    }

    [Fact]
    public void TorsionedPublicKeyIsRejectedButStillUsableForAgreement()
    {
        // A valid key plus a point of order 8 ("c7176a70…" is the RFC 8032 encoding of such a point).
        using var key = EcPrivateKey.Generate();
        byte[] torsioned = AddOrderEightPoint(key.PublicKey.PublicKeyBytes);
        Assert.False(EcPublicKey.FromPublicKeyBytes(torsioned).IsCanonicalAndTorsionFree());
        // The clamped scalar is a multiple of 8, so X25519 cannot tell the two keys apart.
        using var other = EcPrivateKey.Generate();
        Assert.Equal(other.CalculateAgreement(key.PublicKey), other.CalculateAgreement(EcPublicKey.FromPublicKeyBytes(torsioned)));
    }

    [Fact]
    public void TwistPointsAreRejectedByCanonicalCheck()
    {
        // u = 2 is not on the curve (it lies on the quadratic twist).
        var two = new byte[32];
        two[0] = 2;
        Assert.False(EcPublicKey.FromPublicKeyBytes(two).IsCanonicalAndTorsionFree());
    }

    [Fact]
    public void VerifyRejectsWrongLengthsAndHighSBits()
    {
        var pub = Convert.FromHexString(CurveVectorTests.SigningPublic);
        var msg = Convert.FromHexString(CurveVectorTests.SignedMessage);
        var sig = Convert.FromHexString(CurveVectorTests.Signature);
        Assert.False(XEdDsa.Verify(pub, msg, sig.AsSpan(0, 63)));
        Assert.False(XEdDsa.Verify(pub, msg, [.. sig, 0]));
        Assert.False(XEdDsa.Verify(pub.AsSpan(0, 31), msg, sig));
        Assert.False(XEdDsa.Verify(pub, msg, ReadOnlySpan<byte>.Empty));
        var key = EcPublicKey.FromPublicKeyBytes(pub);
        Assert.False(key.VerifySignature(msg, sig.AsSpan(0, 32)));
    }

    [Fact]
    public void SignatureWithSPlusGroupOrderStillVerifies()
    {
        // XEdDSA rejects only s ≥ 2^253; s + ℓ < 2^253 describes the same point and is accepted (wire facts §1.2).
        using var key = EcPrivateKey.Generate();
        var msg = "s plus l"u8.ToArray();
        byte[] sig;
        System.Numerics.BigInteger s;
        System.Numerics.BigInteger l = System.Numerics.BigInteger.Pow(2, 252) + System.Numerics.BigInteger.Parse("27742317777372353535851937790883648493");
        do
        {
            sig = key.CalculateSignature(msg);
            var sBytes = sig[32..];
            sBytes[31] &= 0x7F;
            s = new System.Numerics.BigInteger(sBytes, isUnsigned: true);
        }
        while (s + l >= System.Numerics.BigInteger.Pow(2, 253));

        var sum = (s + l).ToByteArray(isUnsigned: true);
        var forged = new byte[64];
        sig.AsSpan(0, 32).CopyTo(forged);
        sum.CopyTo(forged, 32);
        forged[63] |= (byte)(sig[63] & 0x80);
        Assert.True(key.PublicKey.VerifySignature(msg, forged));
    }

    internal static byte[] AddOrderEightPoint(ReadOnlySpan<byte> u)
    {
        Span<byte> encoded = stackalloc byte[32];
        Assert.True(EdwardsDecoding.TryMontgomeryToEdwards(u, false, out EdwardsPoint a, encoded));
        Assert.True(EdwardsDecoding.TryDecompress(Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"), out EdwardsPoint t8));
        EdwardsPoint sum = a.Add(t8.ToCached()).ToExtended();
        // Back to Montgomery: u = (Z + Y) / (Z − Y).
        FieldElement uOut = FieldElement.Mul(FieldElement.Add(sum.Z, sum.Y), FieldElement.Invert(FieldElement.Sub(sum.Z, sum.Y)));
        var output = new byte[32];
        uOut.ToBytes(output);
        return output;
    }
}
