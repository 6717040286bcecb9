using SignalSharp.Groups;

namespace SignalSharp.InteropDriver;

/// <summary>Group state of a client: its sender-key records and the group cipher over them.</summary>
internal sealed partial class DriverClient
{
    private DriverSenderKeyStore? _senderKeys;
    private GroupCipher? _groupCipher;

    public DriverSenderKeyStore SenderKeys => _senderKeys ??= new DriverSenderKeyStore();

    public GroupCipher GroupCipher => _groupCipher ??= new GroupCipher(SenderKeys);

    private partial object? SnapshotExtra() => SenderKeys.Snapshot();

    private partial void RestoreExtra(object? snapshot)
    {
        if (snapshot is not null)
        {
            SenderKeys.Restore(snapshot);
        }
    }
}
