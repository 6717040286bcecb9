using SignalSharp;
using SignalSharp.Curves;
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

    [Fact]
    public void ReusedKeyObjectGivesTheSameVerdictsAsTheStatelessVerifier()
    {
        // EcPublicKey keeps its Edwards form after the first verification; verdicts must not depend on that.
        using var key = EcPrivateKey.Generate();
        var pub = EcPublicKey.Deserialize(key.PublicKey.Serialize());
        var raw = pub.PublicKeyBytes.ToArray();
        for (int i = 0; i < 20; i++)
        {
            var msg = new byte[i];
            var sig = key.CalculateSignature(msg);
            byte[] flippedSign = [.. sig];
            flippedSign[63] ^= 0x80;
            foreach (var candidate in new[] { sig, flippedSign })
            {
                Assert.Equal(XEdDsa.Verify(raw, msg, candidate), pub.VerifySignature(msg, candidate));
            }

            Assert.True(pub.VerifySignature(msg, sig));
            Assert.False(pub.VerifySignature(msg, flippedSign));
        }

        // A u-coordinate on the twist has no Edwards point: nothing verifies, before or after caching.
        var two = new byte[32];
        two[0] = 2;
        var twist = EcPublicKey.FromPublicKeyBytes(two);
        var anySig = key.CalculateSignature([1]);
        Assert.False(twist.VerifySignature([1], anySig));
        Assert.False(twist.VerifySignature([1], anySig));
        Assert.False(XEdDsa.Verify(two, [1], anySig));
    }

    [Fact]
    public void RIsAcceptedOnlyInItsCanonicalEncoding()
    {
        // With s = h·a, s·B − h·A is the identity, so R must be the identity's encoding 01 00…00. The same point
        // written with the sign bit set (x = 0 cannot be negative) or with y = 1 + p must be rejected, by the
        // stateless verifier, by a fresh key object and by a key object with its Edwards form cached.
        using var key = EcPrivateKey.Generate();
        var msg = "identity R"u8.ToArray();
        var cached = EcPublicKey.Deserialize(key.PublicKey.Serialize());
        Assert.True(cached.VerifySignature(msg, key.CalculateSignature(msg)));
        byte[] Forge(string rHex) => ForgeIdentityR(key, msg, rHex);

        var canonical = Forge("0100000000000000000000000000000000000000000000000000000000000000");
        var signBit = Forge("0100000000000000000000000000000000000000000000000000000000000080");
        var yPlusP = Forge("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        var raw = key.PublicKey.PublicKeyBytes.ToArray();
        foreach (var (sig, expected) in new[] { (canonical, true), (signBit, false), (yPlusP, false) })
        {
            Assert.Equal(expected, XEdDsa.Verify(raw, msg, sig));
            Assert.Equal(expected, EcPublicKey.Deserialize(key.PublicKey.Serialize()).VerifySignature(msg, sig));
            Assert.Equal(expected, cached.VerifySignature(msg, sig));
        }
    }

    /// <summary>A signature (R, s = h·a) whose check point s·B − h·A is the identity, for a chosen R encoding.</summary>
    internal static byte[] ForgeIdentityR(EcPrivateKey key, byte[] msg, string rHex)
    {
        var l = System.Numerics.BigInteger.Pow(2, 252) + System.Numerics.BigInteger.Parse("27742317777372353535851937790883648493");
        var a = new System.Numerics.BigInteger(key.Serialize(), isUnsigned: true);
        var edwardsA = new byte[32];
        XEdDsa.ComputeEdwardsPublicKey(key.Serialize(), edwardsA);
        var r = Convert.FromHexString(rHex);
        var h = new System.Numerics.BigInteger(System.Security.Cryptography.SHA512.HashData([.. r, .. edwardsA, .. msg]), isUnsigned: true) % l;
        var sBytes = new byte[32];
        (h * a % l).ToByteArray(isUnsigned: true).CopyTo(sBytes, 0);
        byte[] sig = [.. r, .. sBytes];
        sig[63] |= (byte)(edwardsA[31] & 0x80);
        return sig;
    }

    internal static byte[] AddOrderEightPoint(ReadOnlySpan<byte> u)
    {
        Span<byte> encoded = stackalloc byte[32];
        Assert.True(EdwardsDecoding.TryMontgomeryToEdwards(u, false, out EdwardsPoint a, encoded));
        Assert.True(EdwardsReferenceDecoding.TryDecompress(Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"), out EdwardsPoint t8));
        EdwardsPoint sum = a.Add(t8.ToCached()).ToExtended();
        // Back to Montgomery: u = (Z + Y) / (Z − Y).
        FieldElement uOut = FieldElement.Mul(FieldElement.Add(sum.Z, sum.Y), FieldElement.Invert(FieldElement.Sub(sum.Z, sum.Y)));
        var output = new byte[32];
        uOut.ToBytes(output);
        return output;
    }
}
