using SignalSharp.Curves;

namespace SignalSharp.Timing.Cases;

internal sealed class XEdDsaSignCase : TimingCase
{
    private readonly byte[][][] _privateKeys = [new byte[PoolSize][], new byte[PoolSize][]];
    private readonly byte[] _message = new byte[33];
    private readonly byte[] _random64 = new byte[64];
    private readonly byte[] _signature = new byte[64];

    public override string Name => "xeddsa-sign";

    public override string Classes => "private key: fixed vs random (message and nonce randomness fixed)";

    public override void Prepare(Random random)
    {
        random.NextBytes(_message);
        random.NextBytes(_random64);
        var fixedKey = new byte[32];
        random.NextBytes(fixedKey);
        for (int i = 0; i < PoolSize; i++)
        {
            _privateKeys[0][i] = (byte[])fixedKey.Clone();
            _privateKeys[1][i] = new byte[32];
            random.NextBytes(_privateKeys[1][i]);
        }
    }

    public override void Run(int cls, int index) => XEdDsa.Sign(_privateKeys[cls][index], _message, _random64, _signature);
}
