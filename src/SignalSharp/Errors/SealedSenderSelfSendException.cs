namespace SignalSharp;

/// <summary>A sealed message whose sender certificate names the receiving device itself (same uuid, or same phone number, and same device): the app sent it to itself. Nothing was committed to any store.</summary>
public class SealedSenderSelfSendException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public SealedSenderSelfSendException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public SealedSenderSelfSendException(string message, Exception innerException) : base(message, innerException) { }
}
