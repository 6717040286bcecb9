using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>The PreKey-message parser, including the embedded whisper message and the keys it carries.</summary>
public sealed class PreKeySignalMessageTarget : FuzzTarget
{
    public override string Name => "prekey-signal-message";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var message = PreKeySignalMessage.Deserialize(input);
        _ = message.Serialize();
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => world.PreKeySignalMessages;
}
