namespace SignalSharp;

/// <summary>A server or sender certificate is malformed, or a sender certificate failed validation (trust root, server signature, revoked key id, unknown signer id, expired). Nothing was committed to any store.</summary>
public class InvalidCertificateException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidCertificateException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidCertificateException(string message, Exception innerException) : base(message, innerException) { }
}
