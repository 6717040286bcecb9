namespace SignalSharp.Fingerprints;

/// <summary>A safety number between two parties, in its displayable and scannable forms.</summary>
public sealed class Fingerprint
{
    internal Fingerprint(DisplayableFingerprint displayable, ScannableFingerprint scannable)
    {
        DisplayableFingerprint = displayable;
        ScannableFingerprint = scannable;
    }

    /// <summary>The 60-digit number for people to compare.</summary>
    public DisplayableFingerprint DisplayableFingerprint { get; }

    /// <summary>The QR-code form for devices to compare.</summary>
    public ScannableFingerprint ScannableFingerprint { get; }
}
