using SignalSharp.Lattice;
using Xunit;

namespace SignalSharp.Tests.Lattice;

/// <summary>
/// The four-way samplers must equal four scalar sampler calls. 500 random seeds × 4 matrix entries also reach
/// the rare path where 504 bytes of SHAKE-128 yield fewer than 256 coefficients (probability ≈ 1% each).
/// </summary>
public class SamplingTests
{
    [Fact]
    public void FourWaySamplersEqualScalarSamplers()
    {
        if (!KeccakPermutationX4.IsSupported)
        {
            return;
        }

        var random = new Random(203);
        var rho = new byte[32];
        byte[] indices = [0, 1, 2, 3, 1, 0, 3, 2];
        var x4 = new short[4 * 256];
        var single = new short[256];
        int extraBlocks = 0;
        for (int trial = 0; trial < 500; trial++)
        {
            random.NextBytes(rho);
            SamplingX4.SampleNtt(rho, indices, x4);
            for (int t = 0; t < 4; t++)
            {
                Sampling.SampleNtt(rho, indices[2 * t], indices[(2 * t) + 1], single);
                Assert.Equal(single, x4.AsSpan(t * 256, 256).ToArray());
                extraBlocks += NeedsMoreThanThreeBlocks(rho, indices[2 * t], indices[(2 * t) + 1]) ? 1 : 0;
            }

            SamplingX4.SampleCbd2(rho, (byte)(trial % 250), x4);
            for (int t = 0; t < 4; t++)
            {
                Sampling.SampleCbd2(rho, (byte)((trial % 250) + t), single);
                Assert.Equal(single, x4.AsSpan(t * 256, 256).ToArray());
            }
        }

        Assert.True(extraBlocks > 0, "no trial exercised the extra-block path");
    }

    private static bool NeedsMoreThanThreeBlocks(byte[] rho, byte x, byte y)
    {
        var sponge = new KeccakSponge(KeccakSponge.Shake128Rate);
        sponge.Absorb(rho);
        sponge.Absorb([x, y]);
        sponge.Finish(KeccakSponge.ShakeDomain);
        var buffer = new byte[504];
        sponge.Squeeze(buffer);
        return Sampling.RejectionSample(buffer, new short[256]) < 256;
    }
}
