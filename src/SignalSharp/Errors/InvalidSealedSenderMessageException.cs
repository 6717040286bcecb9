namespace SignalSharp;

/// <summary>A sealed-sender envelope (v1, or a v2 ReceivedMessage or SentMessage) failed to parse, decrypt or authenticate: unknown version, wrong recipient, MAC or AES-GCM-SIV failure, ephemeral-key mismatch, content that does not parse, or a certificate identity that is not the key that sealed it. Nothing was committed to any store.</summary>
public class InvalidSealedSenderMessageException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidSealedSenderMessageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidSealedSenderMessageException(string message, Exception innerException) : base(message, innerException) { }
}
