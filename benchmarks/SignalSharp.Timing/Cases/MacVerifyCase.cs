using SignalSharp.Crypto;

namespace SignalSharp.Timing.Cases;

/// <summary>
/// The tag comparison behind every MAC check (<see cref="HmacSha256.TagsEqual"/>, 8-byte message MACs as on the
/// wire): class 0 the correct tag, class 1 random tags that differ at random positions. An early exit would make
/// class 1 faster. The comparison takes nanoseconds, so a sample times a batch of calls.
/// </summary>
internal sealed class MacVerifyCase : TimingCase
{
    private readonly byte[][] _expected = new byte[PoolSize][];
    private readonly byte[][][] _received = [new byte[PoolSize][], new byte[PoolSize][]];

    public override string Name => "mac-verify";

    public override string Classes => "received tag: correct vs random (expected tag fixed per slot)";

    public override int Batch => 64;

    public override void Prepare(Random random)
    {
        var key = new byte[32];
        random.NextBytes(key);
        var tag = HmacSha256.Compute(key, "fixed message"u8);
        for (int i = 0; i < PoolSize; i++)
        {
            _expected[i] = (byte[])tag.Clone();
            _received[0][i] = tag[..8];
            _received[1][i] = new byte[8];
            random.NextBytes(_received[1][i]);
        }
    }

    public override void Run(int cls, int index)
    {
        var expected = _expected[index];
        var received = _received[cls][index];
        for (int i = 0; i < 64; i++)
        {
            HmacSha256.TagsEqual(expected, received);
        }
    }
}
