using SignalSharp.Curves;

namespace SignalSharp.Timing.Cases;

internal sealed class X25519Case : TimingCase
{
    private readonly byte[][][] _privateKeys = [new byte[PoolSize][], new byte[PoolSize][]];
    private readonly byte[] _publicKey = new byte[32];
    private readonly byte[] _shared = new byte[32];

    public override string Name => "x25519";

    public override string Classes => "private scalar: fixed vs random (peer public key fixed)";

    public override void Prepare(Random random)
    {
        var peer = new byte[32];
        random.NextBytes(peer);
        X25519.ComputePublicKey(peer, _publicKey);
        var fixedKey = new byte[32];
        random.NextBytes(fixedKey);
        for (int i = 0; i < PoolSize; i++)
        {
            _privateKeys[0][i] = (byte[])fixedKey.Clone();
            _privateKeys[1][i] = new byte[32];
            random.NextBytes(_privateKeys[1][i]);
        }
    }

    public override void Run(int cls, int index) => X25519.TryAgree(_privateKeys[cls][index], _publicKey, _shared);
}
