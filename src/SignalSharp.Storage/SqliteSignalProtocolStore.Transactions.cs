using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Storage.Crypto;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>
/// The unit of work (<see cref="ITransactionalSignalProtocolStore"/>): all changes of one protocol operation in one
/// SQLite transaction, guarded against a session row that another store object or process changed meanwhile.
/// </summary>
public sealed partial class SqliteSignalProtocolStore : ITransactionalSignalProtocolStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The version is the nonce and tag of the sealed row: every write seals with a fresh random nonce, so any write
    /// by any handle changes it. No schema change is needed.
    /// </remarks>
    public ValueTask<VersionedSessionRecord> LoadSessionForUpdateAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ValueTask.FromResult(Guarded(() =>
        {
            byte[] key = SessionKey(address);
            byte[]? sealedValue = ReadSealed(RecordKind.Session, key, null);
            if (sealedValue is null)
            {
                return new VersionedSessionRecord(null, ReadOnlyMemory<byte>.Empty);
            }

            using var entry = OpenEntry(RecordKind.Session, key, sealedValue);
            return new VersionedSessionRecord(ParseStored(entry.Value, SessionRecord.Deserialize), RowVersion(sealedValue));
        }, cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <c>BEGIN IMMEDIATE</c> transaction, so one durable commit: it takes the database's write lock (waiting for
    /// another handle's transaction to finish), re-reads the session row's version inside the lock, and only then
    /// writes. Two handles, in one process or two, therefore never both commit a step from the same stored record.
    /// </remarks>
    public ValueTask<bool> TryCommitAsync(SessionCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        using var session = StoredEntry.Session(commit.Address.Name, commit.Address.DeviceId, commit.Record.Serialize());
        using var identity = commit.Identity is { } key ? StoredEntry.Identity(commit.Address.Name, key.Serialize()) : null;
        using var use = commit.KyberPreKeyUse is { } u ? StoredEntry.KyberPreKeyUse(u.KyberPreKeyId, u.SignedPreKeyId, u.BaseKey.Serialize()) : null;
        return ValueTask.FromResult(Guarded(() =>
        {
            // Microsoft.Data.Sqlite begins non-deferred transactions with BEGIN IMMEDIATE.
            using var tx = _connection.BeginTransaction(deferred: false);
            byte[]? stored = ReadSealed(RecordKind.Session, SessionKey(commit.Address), tx);
            ReadOnlySpan<byte> version = stored is null ? [] : RowVersion(stored);
            if (!version.SequenceEqual(commit.ExpectedVersion.Span))
            {
                return false;
            }

            if (use is not null)
            {
                MarkKyberPreKeyUsed(commit.KyberPreKeyUse!.KyberPreKeyId, use, tx);
            }

            if (identity is not null)
            {
                WriteEntry(identity, tx);
            }

            // Another handle (or process) may have used the one-time pre-key since it was loaded: its per-process
            // lock does not reach here, so the row must still be there.
            if (commit.RemovedPreKeyId is { } preKeyId && !DeleteRow(RecordKind.PreKey, StoredEntry.IdKey(preKeyId), tx))
            {
                throw new InvalidKeyIdException($"the pre-key with id {preKeyId} was used meanwhile");
            }

            WriteEntry(session, tx);
            tx.Commit();
            return true;
        }, cancellationToken));
    }

    /// <summary>The sealed value of a row as stored, or null when absent.</summary>
    private byte[]? ReadSealed(RecordKind kind, byte[] key, SqliteTransaction? tx)
    {
        using var read = Command("SELECT value FROM records WHERE kind = $kind AND k = $k", tx);
        read.Parameters.AddWithValue("$kind", (int)kind);
        read.Parameters.AddWithValue("$k", key);
        object? stored = read.ExecuteScalar();
        return stored is null ? null : stored as byte[] ?? throw new StorageCorruptedException("a stored value is not a blob");
    }

    /// <summary>The version of a sealed row: its random nonce and its tag.</summary>
    private static byte[] RowVersion(byte[] sealedValue)
    {
        if (sealedValue.Length < RowSealer.NonceSize + RowSealer.TagSize)
        {
            throw new StorageCorruptedException("a stored value is too short");
        }

        return [.. sealedValue.AsSpan(0, RowSealer.NonceSize), .. sealedValue.AsSpan(sealedValue.Length - RowSealer.TagSize)];
    }
}
