using SignalSharp.Crypto;

namespace SignalSharp.Fuzz;

/// <summary>A reproducible (not secure) random source: the fixture and every run see the same "random" bytes.</summary>
public sealed class SeededRandom(int seed) : RandomSource
{
    private readonly Random _random = new(seed);

    public override void Fill(Span<byte> destination) => _random.NextBytes(destination);
}
