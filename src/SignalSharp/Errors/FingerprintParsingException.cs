namespace SignalSharp;

/// <summary>Scanned bytes are not a scannable fingerprint (malformed protobuf or a missing part).</summary>
public class FingerprintParsingException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public FingerprintParsingException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public FingerprintParsingException(string message, Exception innerException) : base(message, innerException) { }
}
