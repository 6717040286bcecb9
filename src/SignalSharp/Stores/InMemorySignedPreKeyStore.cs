using SignalSharp.PreKeys;

namespace SignalSharp.Stores;

/// <summary>A thread-safe in-memory signed pre-key store holding serialized records.</summary>
public sealed class InMemorySignedPreKeyStore : ISignedPreKeyStore
{
    private readonly Dictionary<uint, byte[]> _records = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
    {
        byte[]? bytes;
        lock (_gate)
        {
            _records.TryGetValue(signedPreKeyId, out bytes);
        }

        return ValueTask.FromResult(bytes is null ? null : SignedPreKeyRecord.Deserialize(bytes));
    }

    /// <inheritdoc />
    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _records[signedPreKeyId] = bytes;
        }

        return ValueTask.CompletedTask;
    }
}
