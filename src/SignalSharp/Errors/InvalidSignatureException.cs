namespace SignalSharp;

/// <summary>A signature (signed pre-key, Kyber pre-key, sender-key message) did not verify.</summary>
public class InvalidSignatureException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidSignatureException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidSignatureException(string message, Exception innerException) : base(message, innerException) { }
}
