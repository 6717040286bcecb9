namespace SignalSharp.Storage;

/// <summary>The database was written by a newer schema version than this library knows; it is left untouched.</summary>
public sealed class StorageVersionException : StorageException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public StorageVersionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public StorageVersionException(string message, Exception innerException) : base(message, innerException) { }
}
