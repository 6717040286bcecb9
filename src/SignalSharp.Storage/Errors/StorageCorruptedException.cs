namespace SignalSharp.Storage;

/// <summary>A stored row failed authentication or did not parse: the storage key is wrong, or the database file was tampered with or damaged. Nothing was committed by the failing call.</summary>
public class StorageCorruptedException : StorageException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public StorageCorruptedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public StorageCorruptedException(string message, Exception innerException) : base(message, innerException) { }
}
