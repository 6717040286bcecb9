using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A thread-safe in-memory Kyber pre-key store: one-time keys are deleted when used; for last-resort keys it
/// remembers every (Kyber id, signed pre-key id, base key) it has seen and rejects repeats. A removed, used or
/// overwritten record's bytes are wiped.
/// </summary>
public sealed class InMemoryKyberPreKeyStore : IKyberPreKeyStore
{
    private readonly SerializedRecordTable _records = new();
    private readonly HashSet<uint> _lastResortIds = [];
    private readonly HashSet<(uint KyberId, uint SignedId, string BaseKey)> _usedLastResort = [];
    private readonly object _gate = new();

    /// <inheritdoc />
    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_records.Parse(kyberPreKeyId, KyberPreKeyRecord.Deserialize));

    /// <inheritdoc />
    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _records.Put(kyberPreKeyId, bytes);
            if (record.IsLastResort)
            {
                _lastResortIds.Add(kyberPreKeyId);
            }
            else
            {
                _lastResortIds.Remove(kyberPreKeyId);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        MarkUsed(kyberPreKeyId, signedPreKeyId, baseKey);
        return ValueTask.CompletedTask;
    }

    /// <summary>The synchronous body of <see cref="MarkKyberPreKeyUsedAsync"/>, for commits.</summary>
    internal void MarkUsed(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        lock (_gate)
        {
            if (!_records.Contains(kyberPreKeyId))
            {
                throw new InvalidKeyIdException($"no Kyber pre-key with id {kyberPreKeyId}");
            }

            if (!_lastResortIds.Contains(kyberPreKeyId))
            {
                _records.Remove(kyberPreKeyId);
            }
            else if (!_usedLastResort.Add((kyberPreKeyId, signedPreKeyId, Convert.ToHexString(baseKey.Serialize()))))
            {
                throw new InvalidMessageException("replayed use of a last-resort Kyber pre-key");
            }
        }
    }

    /// <summary>
    /// Deletes a Kyber pre-key and wipes its stored bytes, e.g. a last-resort key that was rotated out and whose
    /// grace period for late PreKey messages is over. The replay-log entries of that id go with it: without the
    /// key, a replayed message fails with <see cref="InvalidKeyIdException"/> when the key is loaded. Removing an
    /// id that is not held does nothing.
    /// </summary>
    /// <param name="kyberPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record and its replay-log entries are gone.</returns>
    public ValueTask RemoveKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _records.Remove(kyberPreKeyId);
            _lastResortIds.Remove(kyberPreKeyId);
            _usedLastResort.RemoveWhere(use => use.KyberId == kyberPreKeyId);
        }

        return ValueTask.CompletedTask;
    }
}
