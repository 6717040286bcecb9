namespace SignalSharp.Fuzz.Targets;

/// <summary>A serialized pre-key bundle as a server hands it out: parsed (signatures checked), re-serialized and parsed again.</summary>
public sealed class PreKeyBundleTarget : FuzzTarget
{
    public override string Name => "prekey-bundle";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var bundle = PreKeyBundle.Deserialize(input);
        PreKeyBundle.Deserialize(bundle.Serialize());
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => world.BobBundles;
}
