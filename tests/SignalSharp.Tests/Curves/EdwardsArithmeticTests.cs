using System.Numerics;
using System.Security.Cryptography;
using SignalSharp.Curves;
using Xunit;

namespace SignalSharp.Tests.Curves;

/// <summary>
/// The variable-time Edwards code against independent references: BigInteger field arithmetic (tests only),
/// RFC 8032 constants, and libsodium's constant-time fixed-base multiplication.
/// </summary>
public class EdwardsArithmeticTests
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    private static BigInteger ToBig(in FieldElement f)
    {
        var b = new byte[32];
        f.ToBytes(b);
        return new BigInteger(b, isUnsigned: true);
    }

    private static FieldElement FromBig(BigInteger v)
    {
        var b = new byte[32];
        v.ToByteArray(isUnsigned: true).CopyTo(b, 0);
        return FieldElement.FromBytes(b);
    }

    [Fact]
    public void FieldOperationsMatchBigIntegerArithmetic()
    {
        var rng = new Random(1234);
        for (int i = 0; i < 500; i++)
        {
            var ab = new byte[32];
            var bb = new byte[32];
            rng.NextBytes(ab);
            rng.NextBytes(bb);
            ab[31] &= 0x7F;
            bb[31] &= 0x7F;
            if (i == 0)
            {
                ab.AsSpan().Fill(0xFF);
                ab[31] = 0x7F; // 2^255 − 1, a non-canonical representative
            }

            var a = FieldElement.FromBytes(ab);
            var b = FieldElement.FromBytes(bb);
            BigInteger x = new BigInteger(ab, isUnsigned: true) % P;
            BigInteger y = new BigInteger(bb, isUnsigned: true) % P;
            Assert.Equal(x * y % P, ToBig(FieldElement.Mul(a, b)));
            Assert.Equal(x * x % P, ToBig(FieldElement.Square(a)));
            Assert.Equal((x + y) % P, ToBig(FieldElement.Add(a, b)));
            Assert.Equal(((x - y) % P + P) % P, ToBig(FieldElement.Sub(a, b)));
            Assert.Equal((P - x) % P, ToBig(FieldElement.Negate(a)));
            // Chains of unreduced additions into multiplication stay exact.
            var sum = FieldElement.Add(FieldElement.Add(a, b), FieldElement.Sub(a, b));
            Assert.Equal(2 * x * y % P, ToBig(FieldElement.Mul(sum, b)));
            if (x != 0)
            {
                Assert.Equal(BigInteger.ModPow(x, P - 2, P), ToBig(FieldElement.Invert(a)));
            }
        }
    }

    [Fact]
    public void ConstantsMatchRfc8032()
    {
        Assert.Equal(BigInteger.Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555"), ToBig(EdwardsConstants.D));
        Assert.Equal(BigInteger.Parse("19681161376707505956807079304988542015446066515923890162744021073123829784752"), ToBig(EdwardsConstants.SqrtMinusOne));
        var encoded = new byte[32];
        EdwardsConstants.BasePoint.Compress(encoded);
        Assert.Equal("5866666666666666666666666666666666666666666666666666666666666666", Convert.ToHexStringLower(encoded));
    }

    [Fact]
    public void DoubleScalarMultiplicationMatchesLibsodiumFixedBase()
    {
        // a·A + b·B with A = k·B must equal (a·k + b)·B, computed by libsodium.
        var rng = new Random(99);
        for (int i = 0; i < 50; i++)
        {
            byte[] k = RandomScalar(rng), a = RandomScalar(rng), b = RandomScalar(rng);
            var kB = SodiumBase(k);
            Assert.True(EdwardsReferenceDecoding.TryDecompress(kB, out EdwardsPoint pointA));
            var result = new byte[32];
            EdwardsMultiplication.DoubleScalarMulBase(a, pointA, b).Compress(result);

            var l = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
            var combined = (Big(a) * Big(k) + Big(b)) % l;
            var combinedBytes = new byte[32];
            combined.ToByteArray(isUnsigned: true).CopyTo(combinedBytes, 0);
            Assert.Equal(Convert.ToHexStringLower(SodiumBase(combinedBytes)), Convert.ToHexStringLower(result));
        }
    }

    [Fact]
    public void MontgomeryConversionMatchesBirationalMap()
    {
        // For a libsodium key pair, y = (u − 1)/(u + 1) must give libsodium's Edwards encoding up to the sign bit.
        var rng = new Random(7);
        for (int i = 0; i < 50; i++)
        {
            var priv = new byte[32];
            rng.NextBytes(priv);
            X25519.ClampPrivateKey(priv);
            var u = new byte[32];
            X25519.ComputePublicKey(priv, u);
            var edwards = new byte[32];
            XEdDsa.ComputeEdwardsPublicKey(priv, edwards);
            bool negative = (edwards[31] & 0x80) != 0;
            var converted = new byte[32];
            Assert.True(EdwardsDecoding.TryMontgomeryToEdwards(u, negative, out EdwardsPoint point, converted));
            Assert.Equal(Convert.ToHexStringLower(edwards), Convert.ToHexStringLower(converted));
            var recompressed = new byte[32];
            point.Compress(recompressed);
            Assert.Equal(converted, recompressed);
        }
    }

    [Fact]
    public void VectorFieldOperationsMatchScalarOnes()
    {
        if (!FieldElement4.IsSupported)
        {
            return; // Nothing to compare on CPUs without AVX2: the scalar path is the only one.
        }

        var rng = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var e = new FieldElement[8];
            for (int k = 0; k < 8; k++)
            {
                var bytes = new byte[32];
                rng.NextBytes(bytes);
                if (i == 0)
                {
                    // Largest limbs: 2^255 − 1 (non-canonical) and p − 1.
                    bytes.AsSpan().Fill(0xFF);
                    bytes[0] = k % 2 == 0 ? (byte)0xFF : (byte)0xEC;
                }

                e[k] = FieldElement.FromBytes(bytes);
            }

            var a = FieldElement4.Create(e[0], e[1], e[2], e[3]);
            var b = FieldElement4.Create(e[4], e[5], e[6], e[7]);
            // Inputs as large as the point formulas produce: a sum of two reduced values.
            var a2 = FieldElement4.Add(a, a);
            var product = FieldElement4.Mul(a2, b);
            var square = FieldElement4.Square(a2);
            var difference = FieldElement4.Reduce(FieldElement4.Sub(a, b));
            for (int lane = 0; lane < 4; lane++)
            {
                var twice = FieldElement.Add(e[lane], e[lane]);
                Assert.Equal(ToBig(FieldElement.Mul(twice, e[lane + 4])), ToBig(product.GetLane(lane)));
                Assert.Equal(ToBig(FieldElement.Square(twice)), ToBig(square.GetLane(lane)));
                Assert.Equal(ToBig(FieldElement.Sub(e[lane], e[lane + 4])), ToBig(difference.GetLane(lane)));
            }
        }
    }

    [Fact]
    public void VectorAndScalarDoubleScalarMultiplicationAgree()
    {
        if (!FieldElement4.IsSupported)
        {
            return; // Nothing to compare on CPUs without AVX2: the scalar path is the only one.
        }

        var rng = new Random(11);
        for (int i = 0; i < 30; i++)
        {
            byte[] k = RandomScalar(rng), a = RandomScalar(rng), b = RandomScalar(rng);
            if (i == 0)
            {
                Array.Clear(a);
            }

            if (i == 1)
            {
                Array.Clear(b);
            }

            Assert.True(EdwardsReferenceDecoding.TryDecompress(SodiumBase(k), out EdwardsPoint pointA));
            var scalar = new byte[32];
            var vector = new byte[32];
            EdwardsMultiplication.DoubleScalarMulBaseScalar(a, pointA, b).Compress(scalar);
            EdwardsMultiplication.DoubleScalarMulBaseVector(a, pointA, b).Compress(vector);
            Assert.Equal(Convert.ToHexStringLower(scalar), Convert.ToHexStringLower(vector));
        }
    }

    [Fact]
    public void MinusOneHasNoEdwardsImage()
    {
        var minusOne = Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.False(EdwardsDecoding.TryMontgomeryToEdwards(minusOne, false, out _, new byte[32]));
    }

    private static BigInteger Big(byte[] b) => new(b, isUnsigned: true);

    private static byte[] RandomScalar(Random rng)
    {
        var s = new byte[32];
        rng.NextBytes(s);
        s[31] &= 0x0F; // below ℓ's bit length; fine for both libsodium and NAF
        return s;
    }

    private static unsafe byte[] SodiumBase(byte[] scalar)
    {
        var output = new byte[32];
        fixed (byte* q = output)
        fixed (byte* n = scalar)
        {
            Sodium.crypto_scalarmult_ed25519_base_noclamp(q, n);
        }

        return output;
    }
}
