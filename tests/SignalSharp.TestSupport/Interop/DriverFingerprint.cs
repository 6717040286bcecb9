namespace SignalSharp.TestSupport.Interop;

/// <summary>A safety number: the 60-digit displayable string and the scannable (CombinedFingerprints) bytes.</summary>
public sealed record DriverFingerprint(string Displayable, byte[] Scannable);
