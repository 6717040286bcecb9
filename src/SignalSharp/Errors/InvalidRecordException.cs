namespace SignalSharp;

/// <summary>
/// Stored bytes are not a valid record: malformed, from an unknown format version, or holding a field out of range
/// (a key of the wrong length, more sessions, chains or skipped keys than this library keeps). Raised when the
/// record is parsed, never later when a field is used. Derives from <see cref="InvalidMessageException"/>, which
/// session records raised for malformed bytes before this type existed.
/// </summary>
public class InvalidRecordException : InvalidMessageException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, without secret material.</param>
    public InvalidRecordException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What is wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidRecordException(string message, Exception innerException) : base(message, innerException) { }
}
