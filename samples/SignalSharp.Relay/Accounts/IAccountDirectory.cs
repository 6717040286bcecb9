namespace SignalSharp.Relay.Accounts;

/// <summary>
/// Accounts and their device lists. Every operation is atomic on its own; the relay never needs a transaction
/// spanning two calls (see docs/relay.md for how a distributed store implements this).
/// </summary>
public interface IAccountDirectory
{
    /// <summary>Creates an account whose only device is <paramref name="primary"/> (device id 1).</summary>
    /// <returns>False when the name is taken or the relay holds <paramref name="maxAccounts"/> accounts.</returns>
    ValueTask<bool> TryCreateAsync(string name, DeviceRecord primary, int maxAccounts, CancellationToken cancellationToken = default);

    /// <summary>The account, or null.</summary>
    ValueTask<Account?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Adds a device with the next unused id (ids are never reused).</summary>
    /// <returns>The new device, or null when the account is gone or already has <paramref name="maxDevices"/> devices.</returns>
    ValueTask<DeviceRecord?> TryAddDeviceAsync(string name, uint registrationId, byte[] secretHash, int maxDevices, CancellationToken cancellationToken = default);

    /// <summary>Replaces an existing device's record (same id: a reinstall); false when it does not exist.</summary>
    ValueTask<bool> ReplaceDeviceAsync(string name, DeviceRecord device, CancellationToken cancellationToken = default);

    /// <summary>Removes a device; false when it did not exist.</summary>
    ValueTask<bool> RemoveDeviceAsync(string name, int deviceId, CancellationToken cancellationToken = default);

    /// <summary>Every account (for inspection by the demo; a production store would page this).</summary>
    ValueTask<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default);
}
