namespace SignalSharp;

/// <summary>A message in a protocol version this library no longer accepts (for example an X3DH, version-3 pre-key message).</summary>
public class LegacyMessageException : InvalidMessageException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public LegacyMessageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public LegacyMessageException(string message, Exception innerException) : base(message, innerException) { }
}
