using SignalSharp.Groups;

namespace SignalSharp.InteropDriver;

/// <summary>
/// A client's sender-key records kept as serialized bytes, so that a snapshot is a cheap copy of the map and a
/// failed request can restore it exactly.
/// </summary>
internal sealed class DriverSenderKeyStore : ISenderKeyStore
{
    private Dictionary<SenderKeyName, byte[]> _records = new();

    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_records.TryGetValue(new SenderKeyName(sender, distributionId), out var bytes) ? SenderKeyRecord.Deserialize(bytes) : null);

    public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
    {
        _records[new SenderKeyName(sender, distributionId)] = record.Serialize();
        return ValueTask.CompletedTask;
    }

    /// <summary>The stored byte arrays are never mutated, so copying the map is a complete snapshot.</summary>
    public object Snapshot() => new Dictionary<SenderKeyName, byte[]>(_records);

    public void Restore(object snapshot) => _records = new Dictionary<SenderKeyName, byte[]>((Dictionary<SenderKeyName, byte[]>)snapshot);
}
