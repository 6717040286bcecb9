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
            var (record, version) = LoadSessionCached(address);
            return new VersionedSessionRecord(record, version);
        }, cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <c>BEGIN IMMEDIATE</c> transaction, so one durable commit: it takes the database's write lock (waiting for
    /// another handle's transaction to finish), re-reads the session row's version inside the lock, and only then
    /// writes. Two handles, in one process or two, therefore never both commit a step from the same stored record.
    /// The identity row is rewritten only when it does not already hold the commit's identity.
    /// </remarks>
    public ValueTask<bool> TryCommitAsync(SessionCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var address = commit.Address;
        using var session = StoredEntry.Session(address.Name, address.DeviceId, commit.Record.Serialize());
        using var identity = commit.Identity is { } key ? StoredEntry.Identity(address.Name, key.Serialize()) : null;
        using var use = commit.KyberPreKeyUse is { } u ? StoredEntry.KyberPreKeyUse(u.KyberPreKeyId, u.SignedPreKeyId, u.BaseKey.Serialize()) : null;
        return ValueTask.FromResult(Guarded(() =>
        {
            // The row keys are keyed tags (an HMAC each); a cached row already has them. A session key is the user's
            // name tag (also the identity row's key and the session's group) followed by the device id.
            byte[] sessionKey = _cachedSessions.TryGetValue(address, out var cached) ? cached.Key : SessionKey(address);
            byte[] nameTag = sessionKey[..^4];
            try
            {
                // Microsoft.Data.Sqlite begins non-deferred transactions with BEGIN IMMEDIATE.
                using var tx = _connection.BeginTransaction(deferred: false);
                byte[]? stored = ReadSealed(RecordKind.Session, sessionKey, tx);
                ReadOnlySpan<byte> version = stored is null ? [] : RowVersion(stored);
                if (!version.SequenceEqual(commit.ExpectedVersion.Span))
                {
                    // Whatever this handle cached for the address is older than the row: the retry must read it.
                    ForgetSession(address);
                    return false;
                }

                long dataVersion = DataVersion(tx);
                if (use is not null)
                {
                    MarkKyberPreKeyUsed(commit.KyberPreKeyUse!.KyberPreKeyId, use, tx);
                }

                CachedRow<IdentityKey>? savedIdentity = null;
                if (identity is not null && !HoldsIdentity(address.Name, nameTag, commit.Identity!, tx))
                {
                    ForgetIdentity(address.Name);
                    byte[] sealedIdentity = WriteEntry(identity, nameTag, null, tx);
                    savedIdentity = new CachedRow<IdentityKey>(nameTag, RowVersion(sealedIdentity), commit.Identity!, dataVersion);
                }

                // Another handle (or process) may have used the one-time pre-key since it was loaded: its per-process
                // lock does not reach here, so the row must still be there.
                if (commit.RemovedPreKeyId is { } preKeyId && !DeleteRow(RecordKind.PreKey, StoredEntry.IdKey(preKeyId), tx))
                {
                    throw new InvalidKeyIdException(PreKeyKind.OneTime, preKeyId, $"the pre-key with id {preKeyId} was used meanwhile");
                }

                byte[] sealedSession = WriteEntry(session, sessionKey, nameTag, tx, exists: stored is not null);
                tx.Commit();
                RememberSession(address, new CachedRow<SessionRecord>(sessionKey, RowVersion(sealedSession), commit.Record.HandOver(cached?.Value), dataVersion, sealedSession.Length));
                if (savedIdentity is not null)
                {
                    RememberIdentity(address.Name, savedIdentity);
                }

                return true;
            }
            catch
            {
                // A failed commit wrote nothing, but the cache must not outlive an outcome it did not see.
                ForgetSession(address);
                ForgetIdentity(address.Name);
                throw;
            }
        }, cancellationToken));
    }

    /// <summary>
    /// Whether the identity row of <paramref name="name"/> holds <paramref name="identity"/>, read inside the commit's
    /// transaction: a cached identity is used only when the row's version still matches it.
    /// </summary>
    private bool HoldsIdentity(string name, byte[] nameTag, IdentityKey identity, SqliteTransaction tx)
    {
        byte[]? stored = ReadSealed(RecordKind.Identity, nameTag, tx);
        if (stored is null)
        {
            return false;
        }

        try
        {
            if (_cachedIdentities.TryGetValue(name, out var cached) && cached.Version.AsSpan().SequenceEqual(RowVersion(stored)))
            {
                return cached.Value.Equals(identity);
            }

            using var entry = OpenEntry(RecordKind.Identity, nameTag, stored);
            return ParseStored(entry.Value, IdentityKey.Deserialize).Equals(identity);
        }
        catch (StorageCorruptedException)
        {
            // A row that does not open is rewritten, as every commit did before it learned to skip unchanged rows.
            return false;
        }
    }

    /// <summary>The sealed value of a row as stored, or null when absent.</summary>
    private byte[]? ReadSealed(RecordKind kind, byte[] key, SqliteTransaction? tx)
    {
        var read = Statement("SELECT value FROM records WHERE kind = $kind AND k = $k", tx);
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
