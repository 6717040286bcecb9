namespace SignalSharp;

/// <summary>A key failed to parse (wrong length or type byte) or is unusable (for example an all-zero agreement result or a non-canonical base key).</summary>
public class InvalidKeyException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidKeyException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidKeyException(string message, Exception innerException) : base(message, innerException) { }
}
