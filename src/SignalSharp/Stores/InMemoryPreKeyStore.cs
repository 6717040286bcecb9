using SignalSharp.PreKeys;

namespace SignalSharp.Stores;

/// <summary>A thread-safe in-memory pre-key store holding serialized records.</summary>
public sealed class InMemoryPreKeyStore : IPreKeyStore
{
    private readonly Dictionary<uint, byte[]> _records = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        byte[]? bytes;
        lock (_gate)
        {
            _records.TryGetValue(preKeyId, out bytes);
        }

        return ValueTask.FromResult(bytes is null ? null : PreKeyRecord.Deserialize(bytes));
    }

    /// <inheritdoc />
    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _records[preKeyId] = bytes;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _records.Remove(preKeyId);
        }

        return ValueTask.CompletedTask;
    }
}
