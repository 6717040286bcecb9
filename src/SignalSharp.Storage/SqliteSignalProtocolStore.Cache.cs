using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>
/// The parsed session and identity rows this handle read or wrote last, so that the next operation on the same
/// conversation does not read, decrypt and parse the row again (the bulk of a durable encrypt's own work). An entry
/// is the row's sealed version (nonce and tag) with the parsed value. It is trusted without reading the row only
/// while SQLite's <c>data_version</c> shows that no other connection (another handle, another process) committed
/// since it was last checked; otherwise the row's version is read and compared first. Commits never rely on the
/// cache: <see cref="TryCommitAsync"/> always reads the stored version inside its write transaction.
/// </summary>
/// <remarks>
/// The cache holds at most <see cref="MaxCachedRows"/> sessions of at most <see cref="MaxCachedSessionBytes"/> serialized
/// bytes in all (the same plaintext an in-memory store holds for those addresses, as copy-on-write records) and as
/// many identity keys (public); it is emptied when full, on any write this handle makes outside the cached paths,
/// and on dispose.
/// <para>
/// Secret ownership: the cache owns the records it keeps and lends loads a <see cref="SessionRecord.Borrow"/>; a
/// commit hands the committed record over (<see cref="SessionRecord.HandOver"/>), which wipes the keys the new record
/// consumed or replaced. A record the cache drops (full, stale, emptied) is released to the garbage collector
/// without wiping, because an operation on that address may still be using a copy that borrows from it; its secrets
/// are the current ones, which the database also holds (sealed).
/// </para>
/// </remarks>
public sealed partial class SqliteSignalProtocolStore
{
    private const int MaxCachedRows = 1024;

    /// <summary>Bounds the memory of the kept sessions (≈ 1.3 managed bytes per serialized byte) whatever their size.</summary>
    private const long MaxCachedSessionBytes = 4 << 20;

    private readonly Dictionary<ProtocolAddress, CachedRow<SessionRecord>> _cachedSessions = [];
    private readonly Dictionary<string, CachedRow<IdentityKey>> _cachedIdentities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private long _cachedSessionBytes;

    /// <summary>A parsed row, its row key, its sealed version, its sealed size and the <c>data_version</c> at which it was last known current.</summary>
    private sealed class CachedRow<T>(byte[] key, byte[] version, T value, long dataVersion, int size = 0)
    {
        public int Size { get; } = size;

        public byte[] Key { get; } = key;

        public byte[] Version { get; } = version;

        public T Value { get; } = value;

        public long DataVersion { get; set; } = dataVersion;
    }

    /// <summary>
    /// A command for <paramref name="sql"/> that is kept prepared for the store's lifetime (do not dispose it); its
    /// parameters are cleared and its transaction set on every call.
    /// </summary>
    private SqliteCommand Statement(string sql, SqliteTransaction? tx)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }

        command.Transaction = tx;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// SQLite's counter of commits by other connections to this database (unchanged by this connection's own
    /// commits); inside a write transaction it is current for the snapshot the transaction writes on.
    /// </summary>
    private long DataVersion(SqliteTransaction? tx) => (long)Statement("PRAGMA data_version", tx).ExecuteScalar()!;

    /// <summary>The session of <paramref name="address"/> with its version: a private copy, from the cache when it is current.</summary>
    private (SessionRecord? Record, byte[] Version) LoadSessionCached(ProtocolAddress address)
    {
        long dataVersion = DataVersion(null);
        byte[] key;
        byte[]? stored;
        if (_cachedSessions.TryGetValue(address, out var cached))
        {
            if (cached.DataVersion == dataVersion)
            {
                return (cached.Value.Borrow(), cached.Version);
            }

            key = cached.Key;
            stored = ReadSealed(RecordKind.Session, key, null);
            if (stored is not null && RowVersion(stored).AsSpan().SequenceEqual(cached.Version))
            {
                cached.DataVersion = dataVersion;
                return (cached.Value.Borrow(), cached.Version);
            }

            ForgetSession(address);
        }
        else
        {
            key = SessionKey(address);
            stored = ReadSealed(RecordKind.Session, key, null);
        }

        if (stored is null)
        {
            return (null, []);
        }

        byte[] version = RowVersion(stored);
        SessionRecord record;
        using (var entry = OpenEntry(RecordKind.Session, key, stored))
        {
            record = ParseStored(entry.Value, SessionRecord.Deserialize);
        }

        RememberSession(address, new CachedRow<SessionRecord>(key, version, record, dataVersion, stored.Length));
        return (record.Borrow(), version);
    }

    /// <summary>The identity stored for <paramref name="name"/> (null when none), from the cache when it is current.</summary>
    private IdentityKey? LoadIdentityCached(string name)
    {
        long dataVersion = DataVersion(null);
        byte[] key;
        byte[]? stored;
        if (_cachedIdentities.TryGetValue(name, out var cached))
        {
            if (cached.DataVersion == dataVersion)
            {
                return cached.Value;
            }

            key = cached.Key;
            stored = ReadSealed(RecordKind.Identity, key, null);
            if (stored is not null && RowVersion(stored).AsSpan().SequenceEqual(cached.Version))
            {
                cached.DataVersion = dataVersion;
                return cached.Value;
            }

            ForgetIdentity(name);
        }
        else
        {
            key = StoredEntry.NameTag(_sealer, name);
            stored = ReadSealed(RecordKind.Identity, key, null);
        }

        if (stored is null)
        {
            return null;
        }

        IdentityKey identity;
        using (var entry = OpenEntry(RecordKind.Identity, key, stored))
        {
            identity = ParseStored(entry.Value, IdentityKey.Deserialize);
        }

        RememberIdentity(name, new CachedRow<IdentityKey>(key, RowVersion(stored), identity, dataVersion));
        return identity;
    }

    private void RememberSession(ProtocolAddress address, CachedRow<SessionRecord> row)
    {
        ForgetSession(address);
        if (_cachedSessions.Count >= MaxCachedRows || _cachedSessionBytes + row.Size > MaxCachedSessionBytes)
        {
            _cachedSessions.Clear();
            _cachedSessionBytes = 0;
        }

        if (row.Size <= MaxCachedSessionBytes)
        {
            _cachedSessions.Add(address, row);
            _cachedSessionBytes += row.Size;
        }
    }

    private void RememberIdentity(string name, CachedRow<IdentityKey> row)
    {
        if (_cachedIdentities.Count >= MaxCachedRows && !_cachedIdentities.ContainsKey(name))
        {
            _cachedIdentities.Clear();
        }

        _cachedIdentities[name] = row;
    }

    /// <summary>Drops the kept session of <paramref name="address"/>.</summary>
    private void ForgetSession(ProtocolAddress address)
    {
        if (_cachedSessions.Remove(address, out var row))
        {
            _cachedSessionBytes -= row.Size;
        }
    }

    /// <summary>Drops the kept identity of <paramref name="name"/>.</summary>
    private void ForgetIdentity(string name) => _cachedIdentities.Remove(name);

    /// <summary>Empties the cache: after a write by this handle that the cache does not follow.</summary>
    private void ForgetCachedRows()
    {
        _cachedSessions.Clear();
        _cachedSessionBytes = 0;
        _cachedIdentities.Clear();
    }

    /// <summary>Empties the cache when a write by this handle outside the cached paths touches a cached kind of row.</summary>
    private void ForgetCachedRows(RecordKind kind)
    {
        if (kind is RecordKind.Session or RecordKind.Identity)
        {
            ForgetCachedRows();
        }
    }

    /// <summary>Disposes the kept statements (under the lock, before the connection closes) and empties the cache.</summary>
    private void DisposeCache()
    {
        ForgetCachedRows();
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
    }
}
