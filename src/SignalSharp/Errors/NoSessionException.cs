namespace SignalSharp;

/// <summary>There is no usable session with the remote address (or it expired before being acknowledged).</summary>
public class NoSessionException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public NoSessionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public NoSessionException(string message, Exception innerException) : base(message, innerException) { }
}
