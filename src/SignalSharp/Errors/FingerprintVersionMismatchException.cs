namespace SignalSharp;

/// <summary>A scanned fingerprint was produced with a different fingerprint version than the local one.</summary>
public class FingerprintVersionMismatchException : SignalProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="theirVersion">The version in the scanned fingerprint.</param>
    /// <param name="ourVersion">The local fingerprint version.</param>
    public FingerprintVersionMismatchException(int theirVersion, int ourVersion)
        : base($"Fingerprint version mismatch: scanned {theirVersion}, local {ourVersion}")
    {
        TheirVersion = theirVersion;
        OurVersion = ourVersion;
    }

    /// <summary>The version in the scanned fingerprint.</summary>
    public int TheirVersion { get; }

    /// <summary>The local fingerprint version.</summary>
    public int OurVersion { get; }
}
