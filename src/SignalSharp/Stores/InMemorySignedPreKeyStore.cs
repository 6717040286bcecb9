using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A thread-safe in-memory signed pre-key store holding serialized records; a removed or overwritten record's
/// bytes are wiped.
/// </summary>
public sealed class InMemorySignedPreKeyStore : ISignedPreKeyStore, IDisposable
{
    private readonly SerializedRecordTable _records = new();

    /// <inheritdoc />
    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_records.Parse(signedPreKeyId, SignedPreKeyRecord.Deserialize));

    /// <inheritdoc />
    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records.Put(signedPreKeyId, record.Serialize());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>The record's stored bytes are wiped.</remarks>
    public ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
    {
        _records.Remove(signedPreKeyId);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<uint>> GetSignedPreKeyIdsAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_records.Ids());

    /// <summary>Wipes and removes every record the store holds. Idempotent.</summary>
    public void Dispose() => _records.Clear();
}
