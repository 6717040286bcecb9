using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// A stored session record (a corrupted or hostile database row, a restored backup): parsed, re-serialized, then used
/// to decrypt Alice's real messages (one through a skipped seed), which walks the parsed chains, skipped keys and SPQR state.
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

        // The late message uses a skipped seed when the record has one, the first message either a skipped seed
        // or the chain; a typed refusal of one must not stop the other from being tried.
        foreach (var message in new[] { world.LateMessage, world.SignalMessages[0] })
        {
            try
            {
                Sync.Wait(cipher.DecryptAsync(SignalMessage.Deserialize(message)));
            }
            catch (SignalProtocolException)
            {
            }
        }

        Sync.Wait(cipher.EncryptAsync("reply"u8.ToArray()));
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [world.BobSessionRecord, world.BobSessionRecordWithSkippedKeys];
}
