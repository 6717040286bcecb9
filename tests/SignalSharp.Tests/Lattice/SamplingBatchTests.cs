using System.Security.Cryptography;
using SignalSharp.Lattice;
using Xunit;

namespace SignalSharp.Tests.Lattice;

/// <summary>Sampling four matrix entries in the lanes of one vector Keccak must give exactly the one-at-a-time result (FIPS 203 SampleNTT).</summary>
public class SamplingBatchTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void BatchedSampleNttEqualsOneAtATime(int count)
    {
        for (int trial = 0; trial < 50; trial++)
        {
            var rho = RandomNumberGenerator.GetBytes(32);
            var xs = RandomNumberGenerator.GetBytes(count);
            var ys = RandomNumberGenerator.GetBytes(count);
            var batched = new short[count * 256];
            Sampling.SampleNttBatch(rho, xs, ys, batched);
            for (int i = 0; i < count; i++)
            {
                var single = new short[256];
                Sampling.SampleNtt(rho, xs[i], ys[i], single);
                Assert.Equal(single, batched.AsSpan(i * 256, 256).ToArray());
            }
        }
    }
}
