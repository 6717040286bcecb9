namespace SignalSharp;

/// <summary>A message or structure carries a version number this library does not understand.</summary>
public class InvalidVersionException : InvalidMessageException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidVersionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidVersionException(string message, Exception innerException) : base(message, innerException) { }
}
