namespace SignalSharp.Fuzz.Targets;

/// <summary>A scanned safety-number QR payload compared with the local fingerprint.</summary>
public sealed class ScannableFingerprintTarget : FuzzTarget
{
    public override string Name => "scannable-fingerprint";

    public override void Run(ReadOnlySpan<byte> input) => _ = FuzzWorld.Instance.AliceScannableFingerprint.CompareTo(input);

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [world.BobScannableFingerprint];
}
