namespace SignalSharp.Storage;

/// <summary>A durable store failed: the database could not be read or written (I/O, locking, a file that is not a SignalSharp store). Nothing was committed by the failing call.</summary>
public class StorageException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public StorageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public StorageException(string message, Exception innerException) : base(message, innerException) { }
}
