using SignalSharp.Sessions;
using SignalSharp.Wire;

namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// A stored session record (a corrupted or hostile database row, a restored backup): parsed, re-serialized, then used
/// to decrypt Alice's real message, which walks the parsed chains, skipped keys and SPQR state.
/// </summary>
public sealed class SessionRecordTarget : FuzzTarget
{
    public override string Name => "session-record";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var record = SessionRecord.Deserialize(input);
        _ = SessionRecord.Deserialize(record.Serialize());
        var world = FuzzWorld.Instance;
        var store = world.NewBobStore(record);
        var cipher = new SessionCipher(store, FuzzWorld.Bob, FuzzWorld.Alice, random: new SeededRandom(1));
        Sync.Wait(cipher.DecryptAsync(SignalMessage.Deserialize(world.SignalMessages[0])));
        Sync.Wait(cipher.EncryptAsync("reply"u8.ToArray()));
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [world.BobSessionRecord];
}
