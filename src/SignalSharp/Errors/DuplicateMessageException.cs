namespace SignalSharp;

/// <summary>A message whose key was already used (a replay or a duplicate delivery).</summary>
public class DuplicateMessageException : InvalidMessageException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public DuplicateMessageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public DuplicateMessageException(string message, Exception innerException) : base(message, innerException) { }
}
