using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>A stored one-time pre-key record: parsed, re-serialized and its key pair used for an agreement.</summary>
public sealed class PreKeyRecordTarget : FuzzTarget
{
    public override string Name => "prekey-record";

    public override void Run(ReadOnlySpan<byte> input)
    {
        using var record = PreKeyRecord.Deserialize(input);
        PreKeyRecord.Deserialize(record.Serialize()).Dispose();
        _ = record.KeyPair.PrivateKey.CalculateAgreement(FuzzWorld.Instance.AliceIdentity.PublicKey);
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => world.BobPreKeyRecords;
}
