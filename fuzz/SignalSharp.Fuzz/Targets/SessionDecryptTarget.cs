using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// Decryption on Bob's live session with Alice (a fresh copy per run): the first input byte picks the message kind
/// (even: whisper message, odd: PreKey message), the rest is the message. The unread real messages decrypt, so
/// the corpus covers the success path as well as every rejection before and after the MAC check.
/// </summary>
public sealed class SessionDecryptTarget : FuzzTarget
{
    public override string Name => "session-decrypt";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var world = FuzzWorld.Instance;
        var store = world.NewBobStore(SessionRecord.Deserialize(world.BobSessionRecord));
        var cipher = new SessionCipher(store, FuzzWorld.Bob, FuzzWorld.Alice, random: new SeededRandom(input.Length));
        if ((input[0] & 1) == 0)
        {
            Sync.Wait(cipher.DecryptAsync(SignalMessage.Deserialize(input[1..])));
        }
        else
        {
            Sync.Wait(cipher.DecryptAsync(PreKeySignalMessage.Deserialize(input[1..])));
        }
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) =>
        world.SignalMessages.Select(m => (byte[])[0, .. m]).Concat(world.PreKeySignalMessages.Select(m => (byte[])[1, .. m]));
}
