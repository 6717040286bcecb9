namespace SignalSharp.Storage;

/// <summary>A durable store failed: the database could not be read or written (I/O, locking, a file that is not a SignalSharp store). Nothing was committed by the failing call.</summary>
/// <remarks>
/// When the error concerns a database file, <see cref="DatabasePath"/> names it and <see cref="Message"/> starts
/// with it (<c>"/path/store.db: wrong storage key, ..."</c>).
/// </remarks>
public class StorageException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public StorageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public StorageException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The database file the error concerns, or null when it concerns none (for example a backup stream).</summary>
    public string? DatabasePath { get; internal set; }

    /// <summary>The error's description, preceded by <see cref="DatabasePath"/> when there is one.</summary>
    public override string Message => DatabasePath is null ? base.Message : $"{DatabasePath}: {base.Message}";
}
