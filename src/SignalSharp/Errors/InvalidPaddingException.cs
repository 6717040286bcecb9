namespace SignalSharp;

/// <summary>
/// Decrypted content does not end in valid message padding (a 0x80 terminator followed only by zeros). The
/// message itself authenticated and decrypted, so its session state may already be committed; only its content
/// is unusable.
/// </summary>
public class InvalidPaddingException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidPaddingException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidPaddingException(string message, Exception innerException) : base(message, innerException) { }
}
