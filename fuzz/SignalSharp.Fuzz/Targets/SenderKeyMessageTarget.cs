using SignalSharp.Groups;

namespace SignalSharp.Fuzz.Targets;

/// <summary>A group message: parsed, then decrypted against Bob's sender-key state for Alice (a fresh copy per run).</summary>
public sealed class SenderKeyMessageTarget : FuzzTarget
{
    public override string Name => "sender-key-message";

    public override void Run(ReadOnlySpan<byte> input)
    {
        _ = SenderKeyMessage.Deserialize(input).Serialize();
        using var store = new InMemorySenderKeyStore();
        Sync.Wait(store.StoreSenderKeyAsync(FuzzWorld.Alice, FuzzWorld.DistributionId, SenderKeyRecord.Deserialize(FuzzWorld.Instance.BobSenderKeyRecord)));
        Sync.Wait(new GroupCipher(store, new SeededRandom(1)).DecryptAsync(FuzzWorld.Alice, input.ToArray()));
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => world.GroupMessages;
}
