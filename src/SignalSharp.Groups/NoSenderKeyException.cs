namespace SignalSharp.Groups;

/// <summary>
/// There is no sender-key state for a group message: the sender never distributed its key to this device for
/// that distribution id, or the message uses a chain this device was not given (for example after the sender
/// rotated its key because this device left the group).
/// </summary>
public class NoSenderKeyException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is missing.</param>
    public NoSenderKeyException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What is missing.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public NoSenderKeyException(string message, Exception innerException) : base(message, innerException) { }
}
