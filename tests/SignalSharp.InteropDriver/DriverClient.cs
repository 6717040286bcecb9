using SignalSharp.Keys;

namespace SignalSharp.InteropDriver;

/// <summary>One local Signal client (device) hosted by the driver. Partial: other op files add their own state.</summary>
internal sealed partial class DriverClient
{
    public DriverClient(string name, int deviceId, IdentityKeyPair identity, uint registrationId)
    {
        Address = new ProtocolAddress(name, deviceId);
        Identity = identity;
        RegistrationId = registrationId;
        Store = new DriverStore(identity, registrationId);
    }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public DriverStore Store { get; }

    /// <summary>Ids handed out when a bundle request leaves them open; advanced only by a successful bundle.</summary>
    public uint NextSignedPreKeyId { get; set; } = 1;

    public uint NextKyberPreKeyId { get; set; } = 1;

    /// <summary>Captures every piece of client state a request may change.</summary>
    public object Snapshot() => (Store.Snapshot(), NextSignedPreKeyId, NextKyberPreKeyId, SnapshotExtra());

    public void Restore(object snapshot)
    {
        var (store, signed, kyber, extra) = ((object, uint, uint, object?))snapshot;
        Store.Restore(store);
        NextSignedPreKeyId = signed;
        NextKyberPreKeyId = kyber;
        RestoreExtra(extra);
    }

    /// <summary>State added by other op files (e.g. sender keys); null when there is none.</summary>
    private partial object? SnapshotExtra();

    private partial void RestoreExtra(object? snapshot);
}
