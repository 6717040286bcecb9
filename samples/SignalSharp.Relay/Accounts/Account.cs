namespace SignalSharp.Relay.Accounts;

/// <summary>A snapshot of one account: its name and its devices, ordered by device id.</summary>
/// <param name="Name">The account name.</param>
/// <param name="Devices">The devices.</param>
public sealed record Account(string Name, IReadOnlyList<DeviceRecord> Devices)
{
    /// <summary>The device with this id, or null.</summary>
    public DeviceRecord? Find(int deviceId) => Devices.FirstOrDefault(d => d.DeviceId == deviceId);
}
