namespace SignalSharp;

/// <summary>
/// A well-formed message carries a protocol version this library does not speak: the sender runs a newer protocol
/// version (or, for <see cref="LegacyMessageException"/>, a retired one). Junk bytes never raise it: a message is only
/// judged by its version once the rest of it parsed, and anything that does not parse is an
/// <see cref="InvalidMessageException"/>.
/// </summary>
/// <remarks>
/// A sibling of <see cref="InvalidMessageException"/>, not a subclass: the bytes are fine, and the right action is
/// to tell the user that the sender's app and this one are on different protocol versions rather than to treat the
/// message as corrupt. Nothing was committed to any store.
/// </remarks>
public class InvalidVersionException : SignalProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="version">The version the message carries.</param>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidVersionException(int version, string message) : base(message)
    {
        Version = version;
    }

    /// <summary>The protocol version the message carries.</summary>
    public int Version { get; }
}
