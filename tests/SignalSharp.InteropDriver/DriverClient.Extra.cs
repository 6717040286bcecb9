using SignalSharp.Groups;

namespace SignalSharp.InteropDriver;

/// <summary>Group state of a client: its sender-key records and the group cipher over them.</summary>
internal sealed partial class DriverClient
{
    private DriverSenderKeyStore? _senderKeys;
    private GroupCipher? _groupCipher;

    /// <summary>The SQLite store keeps sender keys too; an in-memory client keeps them in a snapshot-able map.</summary>
    public ISenderKeyStore SenderKeys => (ISenderKeyStore?)_durable ?? (_senderKeys ??= new DriverSenderKeyStore());

    public GroupCipher GroupCipher => _groupCipher ??= new GroupCipher(SenderKeys);

    /// <summary>Null for a SQLite client: its row snapshot already holds the sender keys.</summary>
    private partial object? SnapshotExtra() => _durable is null ? ((DriverSenderKeyStore)SenderKeys).Snapshot() : null;

    private partial void RestoreExtra(object? snapshot)
    {
        if (snapshot is not null)
        {
            ((DriverSenderKeyStore)SenderKeys).Restore(snapshot);
        }
    }
}
