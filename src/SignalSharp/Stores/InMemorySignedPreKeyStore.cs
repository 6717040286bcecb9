using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A thread-safe in-memory signed pre-key store holding serialized records; a removed or overwritten record's
/// bytes are wiped.
/// </summary>
public sealed class InMemorySignedPreKeyStore : ISignedPreKeyStore
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

    /// <summary>
    /// Deletes a signed pre-key and wipes its stored bytes, e.g. one that was rotated out and whose grace period
    /// for late PreKey messages is over. A PreKey message naming it then fails with
    /// <see cref="InvalidKeyIdException"/>. Removing an id that is not held does nothing.
    /// </summary>
    /// <param name="signedPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is gone.</returns>
    public ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
    {
        _records.Remove(signedPreKeyId);
        return ValueTask.CompletedTask;
    }
}
