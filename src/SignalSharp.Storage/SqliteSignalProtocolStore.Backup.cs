using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Storage.Backup;
using SignalSharp.Storage.Codec;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>Encrypted backup export and import (format: docs/storage.md, <see cref="BackupFile"/>).</summary>
public sealed partial class SqliteSignalProtocolStore
{
    /// <summary>Appended to the target path while an import builds the database.</summary>
    private const string ImportSuffix = ".importing";

    /// <summary>
    /// Writes an encrypted, authenticated backup of every record (a consistent snapshot) to <paramref name="destination"/>.
    /// </summary>
    /// <param name="destination">Where the backup file is written (not closed).</param>
    /// <param name="secret">The passphrase or key that protects the backup.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>A task that completes when the backup is written.</returns>
    /// <exception cref="StorageCorruptedException">A stored record failed authentication.</exception>
    public async Task ExportBackupAsync(Stream destination, BackupSecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(secret);
        byte[] entries = Guarded(() =>
        {
            using var all = Command("SELECT kind, k, value FROM records ORDER BY kind, k", null);
            using var reader = all.ExecuteReader();
            using var w = new FieldWriter(4096);
            while (reader.Read())
            {
                byte kind = reader.GetValue(0) is long k && k is >= 1 and <= byte.MaxValue ? (byte)k : throw new StorageCorruptedException("a stored row has an invalid kind");
                byte[] body = _sealer.Open(kind, Blob(reader, 1), Blob(reader, 2));
                w.U8(kind);
                w.Bytes(body);
                CryptographicOperations.ZeroMemory(body);
            }

            return w.ToArray();
        }, cancellationToken);
        try
        {
            byte[] file = BackupFile.Seal(entries, secret);
            await destination.WriteAsync(file, cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entries);
        }
    }

    /// <summary>
    /// Creates a store at <paramref name="path"/> from a backup, all or nothing: the backup is authenticated and
    /// every record parsed before the database is created, the records are written in one transaction to
    /// <c>path + ".importing"</c>, and that file is renamed to <paramref name="path"/> once complete; on any failure,
    /// and even when the process is killed, no database file is left at <paramref name="path"/>. Every restored
    /// session is retired for sending and the local device's own sender-key chains are left out, so the restored
    /// device never repeats a message key the original may have used after the backup (docs/storage.md,
    /// "Restoring a backup").
    /// </summary>
    /// <param name="source">The backup file (read to its end; at most 256 MiB).</param>
    /// <param name="secret">The passphrase or key the backup was exported with.</param>
    /// <param name="path">The new database file; it must not exist yet.</param>
    /// <param name="storageKey">The 32-byte storage key for the new database (may differ from the exporting store's).</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>The open store (with <see cref="SqliteDurability.Full"/>; reopen it to choose another); dispose it.</returns>
    /// <exception cref="InvalidBackupException">Wrong passphrase or key, a tampered, truncated or malformed backup.</exception>
    /// <exception cref="IOException"><paramref name="path"/> already exists.</exception>
    /// <exception cref="StorageException">The database could not be written.</exception>
    public static async Task<SqliteSignalProtocolStore> ImportBackupAsync(Stream source, BackupSecret secret, string path, ReadOnlyMemory<byte> storageKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (storageKey.Length != StorageKeySize)
        {
            throw new ArgumentException($"the storage key must be {StorageKeySize} bytes", nameof(storageKey));
        }

        if (File.Exists(path))
        {
            throw new IOException($"a backup is imported into a new database, and {path} already exists");
        }

        byte[] file = await ReadBoundedAsync(source, cancellationToken).ConfigureAwait(false);
        byte[] plaintext = BackupFile.Open(file, secret);
        var entries = new List<StoredEntry>();
        try
        {
            ParseEntries(plaintext, entries);
            RetireRestoredSessions(entries);
            cancellationToken.ThrowIfCancellationRequested();
            return CreateFromEntries(path, storageKey.Span, entries);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            foreach (var entry in entries)
            {
                entry.Dispose();
            }
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream source, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > BackupFile.MaxFileSize)
            {
                throw new InvalidBackupException($"the backup is larger than {BackupFile.MaxFileSize} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        // The file is ciphertext: no wiping needed.
        return buffer.ToArray();
    }

    private static void ParseEntries(ReadOnlySpan<byte> plaintext, List<StoredEntry> entries)
    {
        static Exception Malformed(string message) => new InvalidBackupException("the backup's content is malformed: " + message);

        var r = new FieldReader(plaintext, Malformed);
        int locals = 0;
        while (!r.AtEnd)
        {
            byte kind = r.U8();
            var entry = StoredEntry.Decode(kind, r.Bytes(), Malformed);
            entries.Add(entry);
            entry.Validate(Malformed);
            locals += entry.Kind == RecordKind.Local ? 1 : 0;
        }

        if (locals != 1)
        {
            throw new InvalidBackupException($"the backup holds {locals} local identities, not one");
        }
    }

    /// <summary>
    /// The original device may have kept sending after the backup was taken: a restored sending chain could repeat
    /// its message keys. So every restored session is retired for sending (<see cref="SessionRecord.RetireSessionsForSending"/>),
    /// and the local device's own sender-key chains are not restored (the next group send starts a new chain).
    /// </summary>
    private static void RetireRestoredSessions(List<StoredEntry> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Kind == RecordKind.SenderKey && IsOwnSendingChain(entry))
            {
                entries.RemoveAt(i--);
                entry.Dispose();
                continue;
            }

            if (entry.Kind != RecordKind.Session)
            {
                continue;
            }

            SessionRecord record;
            try
            {
                record = SessionRecord.Deserialize(entry.Value);
            }
            catch (SignalProtocolException e)
            {
                throw new InvalidBackupException("the backup's content is malformed: a session record does not parse", e);
            }

            record.RetireSessionsForSending();
            entries[i] = StoredEntry.Session(entry.Name, entry.DeviceId, record.Serialize());
            entry.Dispose();
        }
    }

    private static bool IsOwnSendingChain(StoredEntry entry)
    {
        try
        {
            using var record = SenderKeyRecord.Deserialize(entry.Value);
            return record.IsOwnSendingChain;
        }
        catch (SignalProtocolException e)
        {
            throw new InvalidBackupException("the backup's content is malformed: a sender-key record does not parse", e);
        }
    }

    private static SqliteSignalProtocolStore CreateFromEntries(string path, ReadOnlySpan<byte> storageKey, List<StoredEntry> entries)
    {
        // The database is built under a temporary name and renamed into place only when complete and closed, so a
        // process killed mid-import leaves no database at path (at most the temporary file, which the next import
        // replaces), never a half-written one.
        string building = path + ImportSuffix;
        DeleteDatabaseFiles(building);

        // Claim the temporary path exclusively first: the failure path below deletes the database files, which must
        // only ever be files this import created.
        new FileStream(building, FileMode.CreateNew, FileAccess.Write).Dispose();
        try
        {
            using (var created = Connect(building, storageKey, SqliteOpenMode.ReadWriteCreate, SqliteDurability.Full))
            {
                created.Guarded(() =>
                {
                    using var tx = created._connection.BeginTransaction();
                    created.EnsureEmpty(tx);
                    created.WriteKeyCheck(tx);
                    foreach (var entry in entries)
                    {
                        try
                        {
                            created.WriteEntry(entry, tx, replace: false);
                        }
                        catch (SqliteException e) when (e.SqliteErrorCode == 19)
                        {
                            // SQLITE_CONSTRAINT: two entries for the same row.
                            throw new InvalidBackupException($"the backup holds two {entry.Kind} entries for the same row", e);
                        }
                    }

                    tx.Commit();

                    // Leave WAL mode for the move: the whole database is then in the one file (Open turns WAL on again).
                    using var single = created.Command("PRAGMA journal_mode = DELETE", null);
                    single.ExecuteNonQuery();
                });
            }

            // Out of WAL mode and closed, the file is the whole database. The move refuses to replace a file that
            // appeared at path meanwhile.
            File.Move(building, path);
        }
        catch
        {
            DeleteDatabaseFiles(building);
            throw;
        }

        return Open(path, storageKey, SqliteDurability.Full);
    }

    private static void DeleteDatabaseFiles(string path)
    {
        foreach (string file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: the import already failed; its exception is what the caller needs.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }
    }
}
