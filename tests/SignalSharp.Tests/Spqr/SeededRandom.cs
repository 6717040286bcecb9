using SignalSharp.Crypto;

namespace SignalSharp.Tests.Spqr;

/// <summary>A reproducible (not secure) random source so SPQR test runs are deterministic.</summary>
internal sealed class SeededRandom(int seed) : RandomSource
{
    private readonly Random random = new(seed);

    public override void Fill(Span<byte> destination) => random.NextBytes(destination);
}
