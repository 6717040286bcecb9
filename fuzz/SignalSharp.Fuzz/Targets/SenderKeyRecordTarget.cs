using SignalSharp.Groups;

namespace SignalSharp.Fuzz.Targets;

/// <summary>A stored sender-key record: parsed, re-serialized, then used to decrypt Alice's real group message.</summary>
public sealed class SenderKeyRecordTarget : FuzzTarget
{
    public override string Name => "sender-key-record";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var record = SenderKeyRecord.Deserialize(input);
        SenderKeyRecord.Deserialize(record.Serialize()).Dispose();
        using var store = new InMemorySenderKeyStore();
        Sync.Wait(store.StoreSenderKeyAsync(FuzzWorld.Alice, FuzzWorld.DistributionId, record));
        Sync.Wait(new GroupCipher(store, new SeededRandom(1)).DecryptAsync(FuzzWorld.Alice, FuzzWorld.Instance.GroupMessages[1]));
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [world.BobSenderKeyRecord];
}
