using Org.BouncyCastle.Crypto.Digests;
using SignalSharp.Lattice;
using Xunit;

namespace SignalSharp.Tests.Lattice;

/// <summary>
/// The managed Keccak sponge behind the lattice KEMs. Fixed vectors: NIST FIPS 202 example values (SHA3-256/512
/// of "" and "abc", SHAKE of ""); the cross-check against BouncyCastle's Sha3Digest/ShakeDigest covers
/// block boundaries on both absorbing and squeezing.
/// </summary>
public class Sha3Tests
{
    [Theory]
    [InlineData("", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")]
    [InlineData("abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532")]
    public void Sha3_256MatchesFips202Examples(string input, string expected)
    {
        var output = new byte[32];
        Sha3.Sha3_256(System.Text.Encoding.ASCII.GetBytes(input), default, output);
        Assert.Equal(expected, Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Sha3_512AndShakeMatchFips202Examples()
    {
        var output = new byte[64];
        Sha3.Sha3_512("abc"u8, default, output);
        Assert.Equal("b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0", Convert.ToHexStringLower(output));
        Sha3.Shake256(default, default, output);
        Assert.Equal("46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be", Convert.ToHexStringLower(output));
        var sponge = new KeccakSponge(KeccakSponge.Shake128Rate);
        sponge.Finish(KeccakSponge.ShakeDomain);
        var shake128 = new byte[32];
        sponge.Squeeze(shake128);
        Assert.Equal("7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26", Convert.ToHexStringLower(shake128));
    }

    [Fact]
    public void SpongeAgreesWithBouncyCastleAcrossBlockBoundaries()
    {
        var random = new Random(203);
        foreach (int length in new[] { 0, 1, 71, 72, 73, 135, 136, 137, 167, 168, 169, 500, 1184, 1568 })
        {
            var input = new byte[length];
            random.NextBytes(input);
            int split = length / 3;

            var ours = new byte[64];
            Sha3.Sha3_512(input.AsSpan(0, split), input.AsSpan(split), ours);
            Assert.Equal(BouncyDigest(new Sha3Digest(512), input, 64), ours);

            ours = new byte[32];
            Sha3.Sha3_256(input.AsSpan(0, split), input.AsSpan(split), ours);
            Assert.Equal(BouncyDigest(new Sha3Digest(256), input, 32), ours);

            ours = new byte[400];
            Sha3.Shake256(input.AsSpan(0, split), input.AsSpan(split), ours);
            Assert.Equal(BouncyDigest(new ShakeDigest(256), input, 400), ours);

            // SHAKE-128 squeezed in uneven pieces, as the matrix sampler does.
            var sponge = new KeccakSponge(KeccakSponge.Shake128Rate);
            sponge.Absorb(input.AsSpan(0, split));
            sponge.Absorb(input.AsSpan(split));
            sponge.Finish(KeccakSponge.ShakeDomain);
            ours = new byte[700];
            sponge.Squeeze(ours.AsSpan(0, 5));
            sponge.Squeeze(ours.AsSpan(5, 168));
            sponge.Squeeze(ours.AsSpan(173, 504));
            sponge.Squeeze(ours.AsSpan(677));
            Assert.Equal(BouncyDigest(new ShakeDigest(128), input, 700), ours);
        }
    }

    private static byte[] BouncyDigest(Org.BouncyCastle.Crypto.IDigest digest, byte[] input, int outputLength)
    {
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[outputLength];
        if (digest is ShakeDigest shake)
        {
            shake.OutputFinal(output, 0, outputLength);
        }
        else
        {
            digest.DoFinal(output, 0);
        }

        return output;
    }
}
