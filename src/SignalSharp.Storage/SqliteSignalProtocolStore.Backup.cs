using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SignalSharp.Storage.Backup;
using SignalSharp.Storage.Codec;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>Encrypted backup export and import (format: docs/storage.md, <see cref="BackupFile"/>).</summary>
public sealed partial class SqliteSignalProtocolStore
{
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
    /// every record parsed before the database is created, and the records are written in one transaction; on any
    /// failure no database file is left behind.
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

    private static SqliteSignalProtocolStore CreateFromEntries(string path, ReadOnlySpan<byte> storageKey, List<StoredEntry> entries)
    {
        // Claim the path exclusively first: the failure path below deletes the database files, which must
        // only ever be files this import created (a file appearing since the early check is left alone).
        new FileStream(path, FileMode.CreateNew, FileAccess.Write).Dispose();
        SqliteSignalProtocolStore? store = null;
        try
        {
            store = Connect(path, storageKey, SqliteOpenMode.ReadWriteCreate, SqliteDurability.Full);
            var created = store;
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
                created._registrationId = entries.First(e => e.Kind == RecordKind.Local).Id;
            });
            return store;
        }
        catch
        {
            store?.Dispose();
            DeleteDatabaseFiles(path);
            throw;
        }
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
