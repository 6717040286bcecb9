using SignalSharp.Keys;
using SignalSharp.PreKeys;

namespace SignalSharp.Stores;

/// <summary>
/// A thread-safe in-memory Kyber pre-key store: one-time keys are deleted when used; for last-resort keys it
/// remembers every (Kyber id, signed pre-key id, base key) it has seen and rejects repeats.
/// </summary>
public sealed class InMemoryKyberPreKeyStore : IKyberPreKeyStore
{
    private readonly Dictionary<uint, (byte[] Bytes, bool LastResort)> _records = [];
    private readonly HashSet<(uint KyberId, uint SignedId, string BaseKey)> _usedLastResort = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
    {
        byte[]? bytes = null;
        lock (_gate)
        {
            if (_records.TryGetValue(kyberPreKeyId, out var entry))
            {
                bytes = entry.Bytes;
            }
        }

        return ValueTask.FromResult(bytes is null ? null : KyberPreKeyRecord.Deserialize(bytes));
    }

    /// <inheritdoc />
    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _records[kyberPreKeyId] = (bytes, record.IsLastResort);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        lock (_gate)
        {
            if (!_records.TryGetValue(kyberPreKeyId, out var entry))
            {
                throw new InvalidKeyIdException($"no Kyber pre-key with id {kyberPreKeyId}");
            }

            if (!entry.LastResort)
            {
                _records.Remove(kyberPreKeyId);
            }
            else if (!_usedLastResort.Add((kyberPreKeyId, signedPreKeyId, Convert.ToHexString(baseKey.Serialize()))))
            {
                throw new InvalidMessageException("replayed use of a last-resort Kyber pre-key");
            }
        }

        return ValueTask.CompletedTask;
    }
}
