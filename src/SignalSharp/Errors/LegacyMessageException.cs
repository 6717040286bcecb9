namespace SignalSharp;

/// <summary>
/// A well-formed message in a protocol version this library no longer accepts (for example an X3DH, version-3
/// pre-key message, or a version below 3). A kind of <see cref="InvalidVersionException"/>.
/// </summary>
public class LegacyMessageException : InvalidVersionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="version">The version the message carries.</param>
    /// <param name="message">What went wrong, without secret material.</param>
    public LegacyMessageException(int version, string message) : base(version, message) { }
}
