using SignalSharp.Groups;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>The sender-key part (<see cref="ISenderKeyStore"/>): one sealed record per (sending device, distribution id).</summary>
public sealed partial class SqliteSignalProtocolStore
{
    /// <inheritdoc />
    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return ValueTask.FromResult(Load(RecordKind.SenderKey, () => StoredEntry.SenderKeyKey(_sealer, sender.Name, sender.DeviceId, distributionId), SenderKeyRecord.Deserialize, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(record);
        using var entry = StoredEntry.SenderKey(sender.Name, sender.DeviceId, distributionId, record.Serialize());
        WriteOne(entry, cancellationToken);
        return ValueTask.CompletedTask;
    }
}
