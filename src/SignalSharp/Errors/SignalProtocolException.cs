namespace SignalSharp;

/// <summary>
/// Root of every exception SignalSharp throws on purpose. Catching this type catches all protocol
/// failures; no exception from a dependency (protobuf, crypto provider) crosses the public API.
/// </summary>
public class SignalProtocolException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public SignalProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public SignalProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
