using System.Buffers.Binary;
using System.Security.Cryptography;
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

    /// <inheritdoc />
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

    /// <inheritdoc />
    /// <exception cref="StorageCorruptedException">A replay-log row failed authentication (nothing is deleted).</exception>
    /// <remarks>
    /// The record and the replay-log rows of that id go in one transaction.
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

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<uint>> GetPreKeyIdsAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Ids(RecordKind.PreKey, cancellationToken));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<uint>> GetSignedPreKeyIdsAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Ids(RecordKind.SignedPreKey, cancellationToken));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<uint>> GetKyberPreKeyIdsAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Ids(RecordKind.KyberPreKey, cancellationToken));

    /// <summary>The ids of the rows of a pre-key kind (their keys are the big-endian ids), in ascending order.</summary>
    private IReadOnlyList<uint> Ids(RecordKind kind, CancellationToken cancellationToken) => Guarded<IReadOnlyList<uint>>(() =>
    {
        var ids = new List<uint>();
        using var list = Command("SELECT k, value FROM records WHERE kind = $kind", null);
        list.Parameters.AddWithValue("$kind", (int)kind);
        using var reader = list.ExecuteReader();
        while (reader.Read())
        {
            byte[] key = Blob(reader, 0);
            if (key.Length != sizeof(uint))
            {
                throw new StorageCorruptedException("a pre-key row's key is not a 4-byte id");
            }

            // An id is listed only if its row authenticates: a planted row must not show up as a key to rotate.
            CryptographicOperations.ZeroMemory(_sealer.Open((byte)kind, key, Blob(reader, 1)));
            ids.Add(BinaryPrimitives.ReadUInt32BigEndian(key));
        }

        ids.Sort();
        return ids;
    }, cancellationToken);

    /// <summary>Deletes a one-time Kyber pre-key or records a last-resort use, inside <paramref name="tx"/>.</summary>
    private void MarkKyberPreKeyUsed(uint kyberPreKeyId, StoredEntry use, SqliteTransaction tx)
    {
        byte[] key = StoredEntry.IdKey(kyberPreKeyId);
        bool lastResort;
        using (var entry = ReadEntry(RecordKind.KyberPreKey, key, tx) ?? throw new InvalidKeyIdException(PreKeyKind.Kyber, kyberPreKeyId, $"no Kyber pre-key with id {kyberPreKeyId}"))
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
