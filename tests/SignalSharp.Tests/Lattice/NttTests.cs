using SignalSharp.Lattice;
using Xunit;

namespace SignalSharp.Tests.Lattice;

/// <summary>
/// The vectorized NTT paths must compute exactly what the portable scalar code computes (which the KAT and
/// BouncyCastle cross-checks pin down), and the transform must be the FIPS 203 one: NTT⁻¹(NTT(f)) = f and
/// pointwise products in the NTT domain are negacyclic convolutions.
/// </summary>
public class NttTests
{
    private const int Q = 3329;

    [Fact]
    public void VectorPathsMatchScalarPaths()
    {
        var random = new Random(3329);
        for (int trial = 0; trial < 200; trial++)
        {
            short[] input = RandomPoly(random, -Q + 1, Q);
            if (NttAvx2.IsSupported)
            {
                short[] scalar = (short[])input.Clone(), vector = (short[])input.Clone();
                Ntt.ForwardScalar(scalar);
                NttAvx2.Forward(vector);
                Assert.Equal(scalar, vector);

                short[] reduced = RandomPoly(random, -(Q - 1) / 2, (Q + 1) / 2);
                scalar = (short[])reduced.Clone();
                vector = (short[])reduced.Clone();
                Ntt.InverseToMontgomeryScalar(scalar);
                NttAvx2.InverseToMontgomery(vector);
                Assert.Equal(scalar, vector);
            }

            // Worst-case magnitudes allowed by the contract: 12-bit values against reduced NTT outputs.
            int count = 1 + (trial % 4);
            short[] a = new short[count * 256], b = new short[count * 256];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (short)(trial % 3 == 0 ? 4095 : random.Next(0, 4096));
                b[i] = (short)(trial % 3 == 0 ? -1664 : random.Next(-1664, 1665));
            }

            short[] scalarProduct = new short[256], vectorProduct = new short[256];
            Ntt.MultiplyAccumulateScalar(a, b, count, scalarProduct);
            Ntt.MultiplyAccumulateVector(a, b, count, vectorProduct);
            Assert.Equal(scalarProduct, vectorProduct);
        }
    }

    [Fact]
    public void TransformRoundTripsAndMultipliesNegacyclically()
    {
        var random = new Random(17);
        for (int trial = 0; trial < 20; trial++)
        {
            short[] f = RandomPoly(random, 0, Q);
            short[] g = RandomPoly(random, -2, 3);

            // Schoolbook product in Z_q[X]/(X^256 + 1).
            var expected = new long[256];
            for (int i = 0; i < 256; i++)
            {
                for (int j = 0; j < 256; j++)
                {
                    long term = (long)f[i] * g[j];
                    if (i + j < 256)
                    {
                        expected[i + j] += term;
                    }
                    else
                    {
                        expected[i + j - 256] -= term;
                    }
                }
            }

            short[] fHat = (short[])f.Clone(), gHat = (short[])g.Clone();
            Ntt.Forward(fHat);
            Ntt.Forward(gHat);
            var product = new short[256];
            Ntt.MultiplyAccumulate(fHat, gHat, 1, product);
            Ntt.InverseToMontgomery(product);
            for (int i = 0; i < 256; i++)
            {
                Assert.Equal(Mod(expected[i]), Mod(product[i]));
            }

            // NTT⁻¹ multiplies by R, so NTT⁻¹(NTT(f)) = f·R: undo with one more Montgomery multiplication by 1.
            Ntt.InverseToMontgomery(fHat);
            for (int i = 0; i < 256; i++)
            {
                Assert.Equal(Mod(f[i]), Mod(FieldArithmetic.MontgomeryMultiply(fHat[i], 1)));
            }
        }
    }

    private static short[] RandomPoly(Random random, int min, int maxExclusive)
    {
        var poly = new short[256];
        for (int i = 0; i < poly.Length; i++)
        {
            poly[i] = (short)random.Next(min, maxExclusive);
        }

        return poly;
    }

    private static long Mod(long value) => ((value % Q) + Q) % Q;
}
