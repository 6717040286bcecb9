namespace SignalSharp.Devices;

/// <summary>
/// The device list of each remote user (and of the local user, for sync copies) as last confirmed by the server.
/// <see cref="MultiDeviceSender"/> reads it to know whom to encrypt for and rewrites it when the server corrects it.
/// </summary>
public interface IDeviceListStore
{
    /// <summary>Loads the device list of <paramref name="name"/>.</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The list, or null when none was ever stored for the user.</returns>
    ValueTask<DeviceList?> LoadDeviceListAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores (replaces) the device list of <paramref name="name"/>.</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="devices">The list.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the list is stored.</returns>
    ValueTask StoreDeviceListAsync(string name, DeviceList devices, CancellationToken cancellationToken = default);

    /// <summary>Deletes the device list of <paramref name="name"/>, if any.</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the list is gone.</returns>
    ValueTask DeleteDeviceListAsync(string name, CancellationToken cancellationToken = default);
}
