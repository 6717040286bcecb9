namespace SignalSharp.Devices;

/// <summary>
/// The devices of one user, in ascending device-id order, at most one entry per device id. Immutable: the
/// changing methods return a new list.
/// </summary>
public sealed class DeviceList
{
    private readonly DeviceEntry[] _devices;
    private readonly IReadOnlyList<DeviceEntry> _view;

    /// <summary>Creates a list.</summary>
    /// <param name="devices">The devices, in any order.</param>
    /// <exception cref="ArgumentException">A device id occurs twice.</exception>
    public DeviceList(IEnumerable<DeviceEntry> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var sorted = devices.ToArray();
        Array.Sort(sorted, static (a, b) => a.DeviceId.CompareTo(b.DeviceId));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].DeviceId == sorted[i - 1].DeviceId)
            {
                throw new ArgumentException($"device {sorted[i].DeviceId} is listed twice", nameof(devices));
            }
        }

        _devices = sorted;
        _view = Array.AsReadOnly(sorted);
    }

    private DeviceList(DeviceEntry[] sorted, bool _)
    {
        _devices = sorted;
        _view = Array.AsReadOnly(sorted);
    }

    /// <summary>A list without devices.</summary>
    public static DeviceList Empty { get; } = new([], true);

    /// <summary>The devices in ascending device-id order.</summary>
    public IReadOnlyList<DeviceEntry> Devices => _view;

    /// <summary>The number of devices.</summary>
    public int Count => _devices.Length;

    /// <summary>Finds the entry of <paramref name="deviceId"/>.</summary>
    /// <param name="deviceId">The device id.</param>
    /// <returns>The entry, or null when the device is not listed.</returns>
    public DeviceEntry? Find(int deviceId)
    {
        foreach (var device in _devices)
        {
            if (device.DeviceId == deviceId)
            {
                return device;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="deviceId"/> is listed.</summary>
    /// <param name="deviceId">The device id.</param>
    /// <returns>True when listed.</returns>
    public bool Contains(int deviceId) => Find(deviceId) is not null;

    /// <summary>This list with <paramref name="device"/> added, or replacing the entry of the same device id.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The new list.</returns>
    public DeviceList With(DeviceEntry device) => new(_devices.Where(d => d.DeviceId != device.DeviceId).Append(device));

    /// <summary>This list without <paramref name="deviceId"/>.</summary>
    /// <param name="deviceId">The device id.</param>
    /// <returns>The new list (this one when the device was not listed).</returns>
    public DeviceList Without(int deviceId) => Contains(deviceId) ? new DeviceList(_devices.Where(d => d.DeviceId != deviceId).ToArray(), true) : this;

    /// <summary>The list as <c>[id/registration, ...]</c>.</summary>
    /// <returns>The printable form.</returns>
    public override string ToString() => "[" + string.Join(", ", _devices) + "]";
}
