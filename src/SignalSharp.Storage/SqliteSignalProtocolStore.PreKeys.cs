using SignalSharp.Keys;
using SignalSharp.PreKeys;
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

            tx.Commit();
        }, cancellationToken);
        return ValueTask.CompletedTask;
    }
}
