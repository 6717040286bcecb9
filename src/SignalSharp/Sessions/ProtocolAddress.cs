namespace SignalSharp;

/// <summary>
/// One device of one user: the unit that owns a session. Every device of a user is its own address, so a
/// message to a user is encrypted once per device.
/// </summary>
public sealed class ProtocolAddress : IEquatable<ProtocolAddress>
{
    /// <summary>The smallest valid device id.</summary>
    public const int MinDeviceId = 1;

    /// <summary>The largest valid device id.</summary>
    public const int MaxDeviceId = 127;

    /// <summary>Creates an address.</summary>
    /// <param name="name">The user's name (for Signal apps, the ServiceId string); non-empty.</param>
    /// <param name="deviceId">The device id, 1..127.</param>
    /// <exception cref="ArgumentException">The name is empty or the device id is out of range.</exception>
    public ProtocolAddress(string name, int deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (deviceId is < MinDeviceId or > MaxDeviceId)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceId), deviceId, $"device id must be {MinDeviceId}..{MaxDeviceId}");
        }

        Name = name;
        DeviceId = deviceId;
    }

    /// <summary>The user's name.</summary>
    public string Name { get; }

    /// <summary>The device id, 1..127.</summary>
    public int DeviceId { get; }

    /// <inheritdoc />
    public bool Equals(ProtocolAddress? other)
        => other is not null && DeviceId == other.DeviceId && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ProtocolAddress);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), DeviceId);

    /// <summary>The address as libsignal prints it: <c>name.device</c>.</summary>
    /// <returns>The printable form.</returns>
    public override string ToString() => $"{Name}.{DeviceId}";
}
