namespace SignalSharp.Storage;

/// <summary>A backup could not be imported: wrong passphrase or key, a tampered or truncated file, or an unknown format version. Nothing was written.</summary>
public sealed class InvalidBackupException : StorageException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidBackupException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidBackupException(string message, Exception innerException) : base(message, innerException) { }
}
