using System.Buffers.Binary;
using SignalSharp.Spqr;
using Xunit;

namespace SignalSharp.Tests.Spqr;

/// <summary>
/// The GF(2^16) erasure code of SPQR V1 (wire facts §6.7): polynomial 0x1100B, payload elements big-endian,
/// element i on polynomial i mod 16 at x = i div 16, chunk c = all 16 polynomials at x = c.
/// </summary>
public class ErasureCodeTests
{
    // The four V1 payloads: header ‖ MAC, ct2 ‖ MAC, ct1, ek vector.
    public static TheoryData<int> PayloadSizes => new() { 96, 160, 960, 1152 };

    [Fact]
    public void TableMultiplicationMatchesShiftAndReduce()
    {
        var random = new Random(1);
        for (int i = 0; i < 20_000; i++)
        {
            ushort a = (ushort)random.Next(65536);
            ushort b = (ushort)random.Next(65536);
            Assert.Equal(Gf16Reference.MultiplySlow(a, b), Gf16.Multiply(a, b));
            if (b != 0)
            {
                Assert.Equal(a, Gf16.Divide(Gf16.Multiply(a, b), b));
            }
        }
    }

    [Fact]
    public void ReductionPolynomialIs0x1100B()
    {
        // x^15 · x = x^16 ≡ x^12 + x^3 + x + 1.
        Assert.Equal(0x100B, Gf16Reference.MultiplySlow(0x8000, 2));
        Assert.Equal(0x100B, Gf16.Multiply(0x8000, 2));
    }

    [Theory]
    [MemberData(nameof(PayloadSizes))]
    public void SystematicChunksAreThePayloadSlices(int size)
    {
        var payload = RandomBytes(size, size);
        var encoder = new ChunkEncoder(payload);
        for (int c = 0; c < size / 32; c++)
        {
            encoder = encoder.Next(out var chunk);
            Assert.Equal(c, chunk.Index);
            Assert.Equal(payload.AsSpan(32 * c, 32).ToArray(), chunk.Data);
        }
    }

    [Fact]
    public void ParityChunkIsTheInterpolatingPolynomialAtTheChunkNumber()
    {
        // Two points per polynomial: P(x) = y0·(x+1)/(0+1) + y1·(x+0)/(1+0) = y0·(x⊕1) ⊕ y1·x, worked by hand
        // with the shift-and-reduce multiplication, independent of the encoder's Lagrange code.
        var payload = RandomBytes(64, 7);
        foreach (ushort x in new ushort[] { 2, 3, 1000, 65535 })
        {
            var chunk = new byte[32];
            ChunkEncoder.ComputeChunk(payload, x, chunk);
            for (int j = 0; j < 16; j++)
            {
                ushort y0 = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(2 * j));
                ushort y1 = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(32 + (2 * j)));
                ushort expected = (ushort)(Gf16Reference.MultiplySlow(y0, (ushort)(x ^ 1)) ^ Gf16Reference.MultiplySlow(y1, x));
                Assert.Equal(expected, BinaryPrimitives.ReadUInt16BigEndian(chunk.AsSpan(2 * j)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(PayloadSizes))]
    public void AnyNOfTheChunksInAnyOrderDecode(int size)
    {
        var payload = RandomBytes(size, size + 1);
        int n = size / 32;
        int total = n + 12;
        var chunks = new List<SpqrChunk>();
        var encoder = new ChunkEncoder(payload);
        for (int i = 0; i < total; i++)
        {
            encoder = encoder.Next(out var chunk);
            chunks.Add(chunk);
        }

        var random = new Random(size);
        for (int trial = 0; trial < 25; trial++)
        {
            var order = chunks.OrderBy(_ => random.Next()).Take(n).ToList();
            var decoder = ChunkDecoder.Create(size);
            foreach (var chunk in order)
            {
                Assert.False(decoder.IsComplete);
                decoder = decoder.Add(chunk);
                Assert.Same(decoder, decoder.Add(chunk)); // repeats are ignored
            }

            Assert.True(decoder.IsComplete);
            Assert.Equal(payload, decoder.Decode());
        }
    }

    [Fact]
    public void ParityOnlyChunksDecode()
    {
        var payload = RandomBytes(160, 3);
        var decoder = ChunkDecoder.Create(160);
        for (ushort x = 40_000; decoder.Count < 5; x += 7)
        {
            var data = new byte[32];
            ChunkEncoder.ComputeChunk(payload, x, data);
            decoder = decoder.Add(new SpqrChunk(x, data));
        }

        Assert.Equal(payload, decoder.Decode());
    }

    [Fact]
    public void ChunkNumbersWrapAfter65535()
    {
        var encoder = new ChunkEncoder(RandomBytes(96, 4), ushort.MaxValue).Next(out var last);
        Assert.Equal(ushort.MaxValue, last.Index);
        encoder.Next(out var wrapped);
        Assert.Equal(0, wrapped.Index);
    }

    internal static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
