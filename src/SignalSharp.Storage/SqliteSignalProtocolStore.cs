using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Storage.Crypto;
using SignalSharp.Storage.Rows;
using SignalSharp.Storage.Sql;

namespace SignalSharp.Storage;

/// <summary>
/// All the stores of one device (identity, sessions, pre-keys, signed pre-keys, Kyber pre-keys, sender keys) in
/// one SQLite database file, every record sealed with AES-256-GCM under a storage key the application supplies.
/// Same behaviour as the in-memory stores: trust on first use keyed by user name, one-time Kyber keys deleted on
/// use, last-resort Kyber uses remembered to reject replays.
/// </summary>
/// <remarks>
/// Each call runs synchronously on the caller's thread (Microsoft.Data.Sqlite has no asynchronous I/O) over one
/// connection guarded by a lock, so the store is safe for concurrent calls; every write is one transaction in WAL
/// mode with <c>synchronous = FULL</c>, so a returned write is durable and a crash never leaves half a write.
/// Dispose the store to close the file and wipe the key material it holds.
/// </remarks>
public sealed partial class SqliteSignalProtocolStore : ISignalProtocolStore, ISenderKeyStore, IDisposable, IAsyncDisposable
{
    /// <summary>The storage key's length in bytes (AES-256).</summary>
    public const int StorageKeySize = RowSealer.KeySize;

    private const string KeyCheckName = "key_check";

    /// <summary>Appended to the target path while <see cref="CreateAsync"/> builds the database.</summary>
    private const string CreateSuffix = ".creating";
    private static readonly byte[] KeyCheckPlaintext = Encoding.ASCII.GetBytes("SignalSharp.Storage key check v1");
    private static readonly byte[] LocalKey = [0];

    private readonly SqliteConnection _connection;
    private readonly RowSealer _sealer;
    private readonly object _gate = new();
    private uint _registrationId;
    private bool _disposed;

    private SqliteSignalProtocolStore(SqliteConnection connection, RowSealer sealer, string path)
    {
        _connection = connection;
        _sealer = sealer;
        DatabasePath = path;
    }

    /// <summary>The schema version this library reads and writes.</summary>
    public static int CurrentSchemaVersion => Schema.CurrentVersion;

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Opens the store in <paramref name="path"/> if that file exists, and otherwise creates a store for a new device
    /// there with the identity <paramref name="createIdentity"/> returns. The usual way to start: the first run
    /// creates the store, every later run opens it.
    /// </summary>
    /// <param name="path">The database file. SQLite keeps <c>-wal</c> and <c>-shm</c> files next to it.</param>
    /// <param name="storageKey">The 32-byte storage key (e.g. from the OS keychain); the store keeps a derived copy and wipes it on dispose.</param>
    /// <param name="createIdentity">
    /// Called only when the file does not exist: the new device's identity key pair and registration id (for
    /// example <c>() =&gt; (KeyHelper.GenerateIdentityKeyPair(), KeyHelper.GenerateRegistrationId())</c>). The
    /// store seals the key pair and then disposes it; read it back with <c>GetIdentityKeyPairAsync</c>.
    /// </param>
    /// <param name="options">Connection settings; <see cref="SqliteStoreOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the operation before it starts (opening itself is synchronous).</param>
    /// <returns>The open store; dispose it.</returns>
    /// <exception cref="ArgumentException"><paramref name="storageKey"/> is not 32 bytes, or <paramref name="path"/> is empty.</exception>
    /// <exception cref="StorageCorruptedException">The file exists but the storage key is wrong, or it holds no intact store.</exception>
    /// <exception cref="StorageVersionException">The file was written by a newer library.</exception>
    /// <exception cref="StorageException">The file is not a SQLite database or could not be read or written.</exception>
    public static Task<SqliteSignalProtocolStore> OpenOrCreateAsync(
        string path,
        ReadOnlyMemory<byte> storageKey,
        Func<(IdentityKeyPair Identity, uint RegistrationId)> createIdentity,
        SqliteStoreOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        CheckArguments(path, storageKey, cancellationToken);
        ArgumentNullException.ThrowIfNull(createIdentity);
        return Run(() =>
        {
            if (File.Exists(path))
            {
                return OpenExisting(path, storageKey.Span, options);
            }

            var (identity, registrationId) = createIdentity();
            ArgumentNullException.ThrowIfNull(identity, nameof(createIdentity));
            using (identity)
            {
                try
                {
                    return CreateNew(path, storageKey.Span, identity, registrationId, options);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process or thread created it in the meantime: use that one.
                    return OpenExisting(path, storageKey.Span, options);
                }
            }
        });
    }

    /// <summary>
    /// Opens the store in an existing database file, upgrading its schema when it is older. Fails when the file
    /// does not exist: use <see cref="CreateAsync"/> or <see cref="OpenOrCreateAsync"/> to make one.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="storageKey">The 32-byte storage key the store was created with.</param>
    /// <param name="options">Connection settings; <see cref="SqliteStoreOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the operation before it starts (opening itself is synchronous).</param>
    /// <returns>The open store; dispose it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist (nothing is created).</exception>
    /// <exception cref="ArgumentException"><paramref name="storageKey"/> is not 32 bytes, or <paramref name="path"/> is empty.</exception>
    /// <exception cref="StorageCorruptedException">Wrong storage key, or the file holds no intact store.</exception>
    /// <exception cref="StorageVersionException">The file was written by a newer library.</exception>
    /// <exception cref="StorageException">The file is not a SQLite database or could not be read.</exception>
    public static Task<SqliteSignalProtocolStore> OpenAsync(string path, ReadOnlyMemory<byte> storageKey, SqliteStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckArguments(path, storageKey, cancellationToken);
        return Run(() => OpenExisting(path, storageKey.Span, options));
    }

    /// <summary>
    /// Creates a store for a new device in a new database file. Fails when the file exists. The database is built
    /// under <c>path + ".creating"</c> and renamed into place when complete, so a crash never leaves a half-created
    /// store at <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The database file; it must not exist yet. SQLite keeps <c>-wal</c> and <c>-shm</c> files next to it.</param>
    /// <param name="storageKey">The 32-byte storage key (e.g. from the OS keychain); the store keeps a derived copy and wipes it on dispose.</param>
    /// <param name="identity">The local identity key pair (stored sealed; the caller keeps ownership).</param>
    /// <param name="registrationId">The local registration id.</param>
    /// <param name="options">Connection settings; <see cref="SqliteStoreOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the operation before it starts (creating itself is synchronous).</param>
    /// <returns>The open store; dispose it.</returns>
    /// <exception cref="IOException">The file already exists (it is left unchanged).</exception>
    /// <exception cref="ArgumentException"><paramref name="storageKey"/> is not 32 bytes, or <paramref name="path"/> is empty.</exception>
    /// <exception cref="StorageException">The file could not be created.</exception>
    public static Task<SqliteSignalProtocolStore> CreateAsync(string path, ReadOnlyMemory<byte> storageKey, IdentityKeyPair identity, uint registrationId, SqliteStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckArguments(path, storageKey, cancellationToken);
        ArgumentNullException.ThrowIfNull(identity);
        return Run(() => CreateNew(path, storageKey.Span, identity, registrationId, options));
    }

    /// <summary>Closes the database and wipes the key material the store holds.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            DisposeCache();
            _connection.Dispose();
            _sealer.Dispose();
        }
    }

    /// <summary>Closes the database and wipes the key material the store holds.</summary>
    /// <returns>A completed task (closing is synchronous).</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static void CheckArguments(string path, ReadOnlyMemory<byte> storageKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (storageKey.Length != StorageKeySize)
        {
            throw new ArgumentException($"the storage key must be {StorageKeySize} bytes", nameof(storageKey));
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Runs synchronous work and reports its failure through the task, as an asynchronous method would.</summary>
    private static Task<SqliteSignalProtocolStore> Run(Func<SqliteSignalProtocolStore> open)
    {
        try
        {
            return Task.FromResult(open());
        }
        catch (Exception e)
        {
            return Task.FromException<SqliteSignalProtocolStore>(e);
        }
    }

    private static SqliteSignalProtocolStore CreateNew(string path, ReadOnlySpan<byte> storageKey, IdentityKeyPair identity, uint registrationId, SqliteStoreOptions? options)
    {
        if (File.Exists(path))
        {
            throw new IOException($"{path}: the file already exists; open it with OpenAsync, or use OpenOrCreateAsync");
        }

        var entries = new List<StoredEntry> { StoredEntry.Local(registrationId, identity.Serialize()) };
        try
        {
            return CreateFromEntries(path, storageKey, entries, CreateSuffix, options);
        }
        finally
        {
            entries[0].Dispose();
        }
    }

    private static SqliteSignalProtocolStore OpenExisting(string path, ReadOnlySpan<byte> storageKey, SqliteStoreOptions? options)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file; create the store with CreateAsync, or use OpenOrCreateAsync", path);
        }

        var store = Connect(path, storageKey, SqliteOpenMode.ReadWrite, (options ?? SqliteStoreOptions.Default).Durability);
        try
        {
            store.Guarded(() =>
            {
                store.VerifyKeyCheck();
                using var local = store.ReadEntry(RecordKind.Local, LocalKey, null)
                    ?? throw new StorageCorruptedException("the database holds no local identity");
                store._registrationId = local.Id;
            });
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Opens a connection with the store's pragmas and brings the schema up to date.</summary>
    private static SqliteSignalProtocolStore Connect(string path, ReadOnlySpan<byte> storageKey, SqliteOpenMode mode, SqliteDurability durability)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var sealer = new RowSealer(storageKey);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // No pooling: Dispose must really close the file (reopen, delete, move).
            Pooling = false,
        }.ToString());
        var store = new SqliteSignalProtocolStore(connection, sealer, path);
        try
        {
            store.Guarded(() =>
            {
                connection.Open();
                if (mode != SqliteOpenMode.ReadWriteCreate && Schema.ReadVersion(connection) == 0)
                {
                    // Opening must not change some other database (journal mode, our tables).
                    throw new StorageCorruptedException("the database holds no SignalSharp store");
                }

                using var pragmas = connection.CreateCommand();
                // WAL: readers never block the writer and a commit is one append. FULL: a commit returned is on
                // disk, so a crash cannot roll back a ratchet step whose message was already sent (which would
                // make the next message reuse a message key). secure_delete: used one-time keys are overwritten.
                string synchronous = durability == SqliteDurability.Normal ? "NORMAL" : "FULL";
                // busy_timeout: another handle's write transaction (same file, this process or another) is
                // waited for inside SQLite instead of failing at once.
                pragmas.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA secure_delete = ON; PRAGMA busy_timeout = 30000;";
                pragmas.ExecuteNonQuery();
                Schema.Migrate(connection);
            });
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="operation"/> under the lock, mapping SQLite failures to <see cref="StorageException"/>.</summary>
    private T Guarded<T>(Func<T> operation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return operation();
            }
            catch (SqliteException e)
            {
                // The SQLite message already carries the error code ("SQLite Error 26: 'file is not a database'.").
                throw new StorageException(e.Message, e) { DatabasePath = DatabasePath };
            }
            catch (StorageException e) when (e.DatabasePath is null)
            {
                // Errors raised below (row sealing, record parsing) do not know the file; every one that leaves the
                // store names it, once.
                e.DatabasePath = DatabasePath;
                throw;
            }
        }
    }

    private void Guarded(Action operation, CancellationToken cancellationToken = default)
        => Guarded<bool>(() =>
        {
            operation();
            return true;
        }, cancellationToken);

    private SqliteCommand Command(string sql, SqliteTransaction? tx)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return command;
    }

    private void EnsureEmpty(SqliteTransaction tx)
    {
        using var count = Command("SELECT (SELECT count(*) FROM meta) + (SELECT count(*) FROM records)", tx);
        if ((long)count.ExecuteScalar()! != 0)
        {
            throw new InvalidOperationException("the database already holds a store");
        }
    }

    private void WriteKeyCheck(SqliteTransaction tx)
    {
        using var insert = Command("INSERT INTO meta (name, value) VALUES ($n, $v)", tx);
        insert.Parameters.AddWithValue("$n", KeyCheckName);
        insert.Parameters.AddWithValue("$v", _sealer.Seal(0, Encoding.ASCII.GetBytes(KeyCheckName), KeyCheckPlaintext));
        insert.ExecuteNonQuery();
    }

    private void VerifyKeyCheck()
    {
        using var read = Command("SELECT value FROM meta WHERE name = $n", null);
        read.Parameters.AddWithValue("$n", KeyCheckName);
        if (read.ExecuteScalar() is not byte[] sealedCheck)
        {
            throw new StorageCorruptedException("the database holds no SignalSharp store (no key check)");
        }

        byte[] check;
        try
        {
            check = _sealer.Open(0, Encoding.ASCII.GetBytes(KeyCheckName), sealedCheck);
        }
        catch (StorageCorruptedException e)
        {
            throw new StorageCorruptedException("wrong storage key, or the database's key check was tampered with", e);
        }

        if (!CryptographicOperations.FixedTimeEquals(check, KeyCheckPlaintext))
        {
            throw new StorageCorruptedException("the database's key check holds unexpected content");
        }
    }

    /// <summary>Loads, authenticates and parses one row; null when absent. The caller disposes the entry.</summary>
    private StoredEntry? ReadEntry(RecordKind kind, byte[] key, SqliteTransaction? tx)
    {
        byte[]? sealedValue = ReadSealed(kind, key, tx);
        return sealedValue is null ? null : OpenEntry(kind, key, sealedValue);
    }

    /// <summary>Authenticates and parses the sealed value of the row (<paramref name="kind"/>, <paramref name="key"/>). The caller disposes the entry.</summary>
    private StoredEntry OpenEntry(RecordKind kind, byte[] key, byte[] sealedValue)
    {
        byte[] body = _sealer.Open((byte)kind, key, sealedValue);
        try
        {
            var entry = StoredEntry.Decode((byte)kind, body, m => new StorageCorruptedException("a stored record does not parse: " + m));
            // The associated data already binds the value to this row; the body's own fields must agree too.
            if (!entry.RowKey(_sealer).Key.AsSpan().SequenceEqual(key))
            {
                entry.Dispose();
                throw new StorageCorruptedException("a stored record belongs to another row");
            }

            return entry;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    /// <summary>Seals and inserts (or replaces) one row.</summary>
    private void WriteEntry(StoredEntry entry, SqliteTransaction tx, bool replace = true)
    {
        var (key, group) = entry.RowKey(_sealer);
        WriteEntry(entry, key, group, tx, replace);
    }

    /// <summary>
    /// Seals and inserts (or replaces) one row under its already computed row key; returns the sealed value. With
    /// <paramref name="exists"/> the row is known to be there and only its value changes: an UPDATE, which SQLite
    /// writes over the old value in place when the size is unchanged (a record spilling into overflow pages then
    /// dirties those pages only, instead of freeing and reallocating them with the free list and header pages).
    /// </summary>
    private byte[] WriteEntry(StoredEntry entry, byte[] key, byte[]? group, SqliteTransaction tx, bool replace = true, bool exists = false)
    {
        byte[] body = entry.Encode();
        try
        {
            byte[] sealedValue = _sealer.Seal((byte)entry.Kind, key, body);
            var write = Statement(
                exists ? "UPDATE records SET value = $v WHERE kind = $kind AND k = $k"
                : (replace ? "INSERT OR REPLACE" : "INSERT") + " INTO records (kind, k, grp, value) VALUES ($kind, $k, $grp, $v)", tx);
            write.Parameters.AddWithValue("$kind", (int)entry.Kind);
            write.Parameters.AddWithValue("$k", key);
            if (!exists)
            {
                write.Parameters.AddWithValue("$grp", (object?)group ?? DBNull.Value);
            }

            write.Parameters.AddWithValue("$v", sealedValue);
            if (write.ExecuteNonQuery() != 1)
            {
                throw new StorageCorruptedException("a row changed inside its own write transaction");
            }

            return sealedValue;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    private bool RowExists(RecordKind kind, byte[] key, SqliteTransaction? tx)
    {
        using var exists = Command("SELECT 1 FROM records WHERE kind = $kind AND k = $k", tx);
        exists.Parameters.AddWithValue("$kind", (int)kind);
        exists.Parameters.AddWithValue("$k", key);
        return exists.ExecuteScalar() is not null;
    }

    /// <summary>Deletes one row; true when it existed.</summary>
    private bool DeleteRow(RecordKind kind, byte[] key, SqliteTransaction tx)
    {
        using var delete = Command("DELETE FROM records WHERE kind = $kind AND k = $k", tx);
        delete.Parameters.AddWithValue("$kind", (int)kind);
        delete.Parameters.AddWithValue("$k", key);
        return delete.ExecuteNonQuery() > 0;
    }

    /// <summary>A single-row write in its own transaction.</summary>
    private void WriteOne(StoredEntry entry, CancellationToken cancellationToken) => Guarded(() =>
    {
        ForgetCachedRows(entry.Kind);
        using var tx = _connection.BeginTransaction();
        WriteEntry(entry, tx);
        tx.Commit();
    }, cancellationToken);

    /// <summary>A single-row delete in its own transaction.</summary>
    private void DeleteOne(RecordKind kind, Func<byte[]> key, CancellationToken cancellationToken) => Guarded(() =>
    {
        ForgetCachedRows(kind);
        using var tx = _connection.BeginTransaction();
        DeleteRow(kind, key(), tx);
        tx.Commit();
    }, cancellationToken);

    /// <summary>
    /// Loads one row and parses its value; stored bytes that authenticate but do not parse are corruption. The row
    /// key is computed under the lock, where the tag key is known not to be disposed.
    /// </summary>
    private T? Load<T>(RecordKind kind, Func<byte[]> key, SpanParser<T> parse, CancellationToken cancellationToken)
        where T : class
        => Guarded(() =>
        {
            using var entry = ReadEntry(kind, key(), null);
            return entry is null ? null : ParseStored(entry.Value, parse);
        }, cancellationToken);

    /// <summary>The shape of the records' <c>Deserialize</c> methods.</summary>
    private delegate T SpanParser<T>(ReadOnlySpan<byte> data);

    /// <summary>A blob column of a row read back; anything else was planted.</summary>
    private static byte[] Blob(SqliteDataReader reader, int column)
        => reader.GetValue(column) as byte[] ?? throw new StorageCorruptedException("a stored column is not a blob");

    private static T ParseStored<T>(byte[] value, SpanParser<T> parse)
    {
        try
        {
            return parse(value);
        }
        catch (SignalProtocolException e) when (e is not StorageException)
        {
            throw new StorageCorruptedException("a stored record authenticated but does not parse: " + e.Message, e);
        }
    }
}
