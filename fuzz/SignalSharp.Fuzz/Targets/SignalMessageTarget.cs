using SignalSharp;

namespace SignalSharp.Fuzz.Targets;

/// <summary>The whisper-message parser (version byte, protobuf body, MAC split).</summary>
public sealed class SignalMessageTarget : FuzzTarget
{
    public override string Name => "signal-message";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var message = SignalMessage.Deserialize(input);
        _ = message.Serialize();
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => world.SignalMessages;
}
