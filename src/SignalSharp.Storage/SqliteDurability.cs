namespace SignalSharp.Storage;

/// <summary>How hard a <see cref="SqliteSignalProtocolStore"/> commit pushes data to disk (SQLite's <c>synchronous</c> pragma in WAL mode).</summary>
public enum SqliteDurability
{
    /// <summary>
    /// <c>synchronous = FULL</c> (the default): every commit is flushed to stable storage before the call returns,
    /// so not even a power loss can roll back a ratchet step whose message was already sent (a roll-back would make
    /// the next message reuse a message key). Costs one fsync per write.
    /// </summary>
    Full = 0,

    /// <summary>
    /// <c>synchronous = NORMAL</c>: commits survive an application crash but the last ones may be lost on power
    /// loss or an operating-system crash (the database stays consistent). Much faster on slow disks; choose it only
    /// when the platform guarantees flushes another way or the key-reuse risk above is acceptable.
    /// </summary>
    Normal = 1,
}
