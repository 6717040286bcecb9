using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A thread-safe in-memory Kyber pre-key store: one-time keys are deleted when used; for last-resort keys it
/// remembers every (Kyber id, signed pre-key id, base key) it has seen and rejects repeats. A removed, used or
/// overwritten record's bytes are wiped.
/// </summary>
public sealed class InMemoryKyberPreKeyStore : IKyberPreKeyStore, IDisposable
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
                throw new InvalidKeyIdException(PreKeyKind.Kyber, kyberPreKeyId, $"no Kyber pre-key with id {kyberPreKeyId}");
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

    /// <inheritdoc />
    /// <remarks>The record's stored bytes are wiped.</remarks>
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

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<uint>> GetKyberPreKeyIdsAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_records.Ids());

    /// <summary>Wipes and removes every record the store holds. Idempotent.</summary>
    public void Dispose() => _records.Clear();
}
