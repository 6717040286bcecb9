using SignalSharp.Groups;

namespace SignalSharp.Fuzz.Targets;

/// <summary>A sender-key distribution message: parsed, then processed into an empty store and used for a group message.</summary>
public sealed class SenderKeyDistributionMessageTarget : FuzzTarget
{
    public override string Name => "sender-key-distribution-message";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var parsed = SenderKeyDistributionMessage.Deserialize(input);
        using var store = new InMemorySenderKeyStore();
        var cipher = new GroupCipher(store, new SeededRandom(1));
        Sync.Wait(cipher.ProcessDistributionMessageAsync(FuzzWorld.Alice, parsed));
        Sync.Wait(cipher.DecryptAsync(FuzzWorld.Alice, FuzzWorld.Instance.GroupMessages[0]));
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [world.DistributionMessage];
}
