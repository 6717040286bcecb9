
namespace SignalSharp.Fuzz.Targets;

/// <summary>Unencrypted content (<c>0xC0 ‖ Content protobuf ‖ padding</c>) and the retry receipt inside it.</summary>
public sealed class PlaintextContentTarget : FuzzTarget
{
    public override string Name => "plaintext-content";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var content = PlaintextContent.Deserialize(input);
        _ = content.Serialize();
        _ = content.DecryptionErrorMessage();
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => SealedWorld.Instance.PlaintextContents;
}
