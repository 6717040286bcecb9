using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>The pre-key parts: one-time EC pre-keys, signed pre-keys and Kyber pre-keys, by id.</summary>
public sealed partial class SqliteSignalProtocolStore
{
    /// <inheritdoc />
    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Load(RecordKind.PreKey, () => StoredEntry.IdKey(preKeyId), PreKeyRecord.Deserialize, cancellationToken));

    /// <inheritdoc />
    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var entry = StoredEntry.PreKey(preKeyId, record.Serialize());
        WriteOne(entry, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        DeleteOne(RecordKind.PreKey, () => StoredEntry.IdKey(preKeyId), cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Load(RecordKind.SignedPreKey, () => StoredEntry.IdKey(signedPreKeyId), SignedPreKeyRecord.Deserialize, cancellationToken));

    /// <inheritdoc />
    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var entry = StoredEntry.SignedPreKey(signedPreKeyId, record.Serialize());
        WriteOne(entry, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Deletes a signed pre-key, e.g. one that was rotated out and whose grace period for late PreKey messages is
    /// over. A PreKey message naming it then fails with <see cref="InvalidKeyIdException"/>. Removing an id that is
    /// not held does nothing.
    /// </summary>
    /// <param name="signedPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the deletion is committed.</returns>
    /// <remarks>
    /// <c>secure_delete</c> zeroes the freed page; copies may remain in the WAL until a checkpoint
    /// (docs/storage.md, "At-rest encryption").
    /// </remarks>
    public ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
    {
        DeleteOne(RecordKind.SignedPreKey, () => StoredEntry.IdKey(signedPreKeyId), cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Load(RecordKind.KyberPreKey, () => StoredEntry.IdKey(kyberPreKeyId), KyberPreKeyRecord.Deserialize, cancellationToken));

    /// <inheritdoc />
    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var entry = StoredEntry.KyberPreKey(kyberPreKeyId, record.IsLastResort, record.Serialize());
        WriteOne(entry, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Deletes a Kyber pre-key, e.g. a last-resort key that was rotated out and whose grace period for late PreKey
    /// messages is over, together with the replay-log rows of that id, in one transaction. Without the key, a
    /// replayed message fails with <see cref="InvalidKeyIdException"/> when the key is loaded. Removing an id that
    /// is not held does nothing.
    /// </summary>
    /// <param name="kyberPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the deletion is committed.</returns>
    /// <exception cref="StorageCorruptedException">A replay-log row failed authentication (nothing is deleted).</exception>
    /// <remarks>
    /// A replay-log row is keyed by an HMAC of the whole (Kyber id, signed pre-key id, base key) triple, so the rows
    /// of one Kyber id cannot be selected by key: every replay-log row is opened (one AES-GCM decryption and one
    /// HMAC each) to read the Kyber id from its sealed body. Retiring a key is rare, so this costs less than a
    /// schema change that would put the Kyber id of each use in the clear.
    /// </remarks>
    public ValueTask RemoveKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
    {
        Guarded(() =>
        {
            using var tx = _connection.BeginTransaction();
            DeleteRow(RecordKind.KyberPreKey, StoredEntry.IdKey(kyberPreKeyId), tx);
            foreach (byte[] useKey in KyberUseKeysOf(kyberPreKeyId, tx))
            {
                DeleteRow(RecordKind.KyberPreKeyUse, useKey, tx);
            }

            tx.Commit();
        }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: reading the key, then deleting it (one-time) or recording the triple (last-resort), so two
    /// concurrent uses of a one-time key or the same last-resort triple cannot both succeed.
    /// </remarks>
    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        using var use = StoredEntry.KyberPreKeyUse(kyberPreKeyId, signedPreKeyId, baseKey.Serialize());
        Guarded(() =>
        {
            using var tx = _connection.BeginTransaction();
            MarkKyberPreKeyUsed(kyberPreKeyId, use, tx);
            tx.Commit();
        }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes a one-time Kyber pre-key or records a last-resort use, inside <paramref name="tx"/>.</summary>
    private void MarkKyberPreKeyUsed(uint kyberPreKeyId, StoredEntry use, SqliteTransaction tx)
    {
        byte[] key = StoredEntry.IdKey(kyberPreKeyId);
        bool lastResort;
        using (var entry = ReadEntry(RecordKind.KyberPreKey, key, tx) ?? throw new InvalidKeyIdException($"no Kyber pre-key with id {kyberPreKeyId}"))
        {
            lastResort = entry.LastResort;
        }

        if (!lastResort)
        {
            DeleteRow(RecordKind.KyberPreKey, key, tx);
        }
        else if (RowExists(RecordKind.KyberPreKeyUse, use.RowKey(_sealer).Key, tx))
        {
            throw new InvalidMessageException("replayed use of a last-resort Kyber pre-key");
        }
        else
        {
            WriteEntry(use, tx, replace: false);
        }
    }

    /// <summary>The row keys of the replay-log rows of <paramref name="kyberPreKeyId"/>, each row authenticated.</summary>
    private List<byte[]> KyberUseKeysOf(uint kyberPreKeyId, SqliteTransaction tx)
    {
        var keys = new List<byte[]>();
        using var list = Command("SELECT k, value FROM records WHERE kind = $kind", tx);
        list.Parameters.AddWithValue("$kind", (int)RecordKind.KyberPreKeyUse);
        using var reader = list.ExecuteReader();
        while (reader.Read())
        {
            byte[] key = Blob(reader, 0);
            using var use = OpenEntry(RecordKind.KyberPreKeyUse, key, Blob(reader, 1));
            if (use.Id == kyberPreKeyId)
            {
                keys.Add(key);
            }
        }

        return keys;
    }
}
