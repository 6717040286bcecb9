namespace SignalSharp;

/// <summary>A message failed to parse, authenticate or decrypt. Nothing was committed to any store.</summary>
public class InvalidMessageException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidMessageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidMessageException(string message, Exception innerException) : base(message, innerException) { }
}
