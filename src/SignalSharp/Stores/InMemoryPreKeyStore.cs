using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A thread-safe in-memory pre-key store holding serialized records; a removed or overwritten record's bytes are
/// wiped.
/// </summary>
public sealed class InMemoryPreKeyStore : IPreKeyStore
{
    private readonly SerializedRecordTable _records = new();

    /// <inheritdoc />
    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_records.Parse(preKeyId, PreKeyRecord.Deserialize));

    /// <inheritdoc />
    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records.Put(preKeyId, record.Serialize());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Removing an id that is not held does nothing.</remarks>
    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        Remove(preKeyId);
        return ValueTask.CompletedTask;
    }

    /// <summary>Whether a record with <paramref name="preKeyId"/> is held.</summary>
    internal bool Contains(uint preKeyId) => _records.Contains(preKeyId);

    /// <summary>The synchronous body of <see cref="RemovePreKeyAsync"/>, for commits; true when the record was held.</summary>
    internal bool Remove(uint preKeyId) => _records.Remove(preKeyId);
}
