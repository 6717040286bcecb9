namespace SignalSharp.Devices;

/// <summary>One device of a user as the server last confirmed it: its id and its registration id.</summary>
public readonly struct DeviceEntry : IEquatable<DeviceEntry>
{
    /// <summary>Creates an entry.</summary>
    /// <param name="deviceId">The device id, 1..127.</param>
    /// <param name="registrationId">The registration id the device published (changes when it is reinstalled).</param>
    /// <exception cref="ArgumentOutOfRangeException">The device id is out of range.</exception>
    public DeviceEntry(int deviceId, uint registrationId)
    {
        if (deviceId is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceId), deviceId, $"device id must be {ProtocolAddress.MinDeviceId}..{ProtocolAddress.MaxDeviceId}");
        }

        DeviceId = deviceId;
        RegistrationId = registrationId;
    }

    /// <summary>The device id, 1..127.</summary>
    public int DeviceId { get; }

    /// <summary>The registration id the device published.</summary>
    public uint RegistrationId { get; }

    /// <inheritdoc />
    public bool Equals(DeviceEntry other) => DeviceId == other.DeviceId && RegistrationId == other.RegistrationId;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DeviceEntry other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DeviceId, RegistrationId);

    /// <summary>The entry as <c>device/registration</c>.</summary>
    /// <returns>The printable form.</returns>
    public override string ToString() => $"{DeviceId}/{RegistrationId}";

    /// <summary>Compares two entries.</summary>
    /// <param name="left">The first entry.</param>
    /// <param name="right">The second entry.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(DeviceEntry left, DeviceEntry right) => left.Equals(right);

    /// <summary>Compares two entries.</summary>
    /// <param name="left">The first entry.</param>
    /// <param name="right">The second entry.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(DeviceEntry left, DeviceEntry right) => !left.Equals(right);
}
