namespace SignalSharp.Devices;

/// <summary>A thread-safe, in-memory <see cref="IDeviceListStore"/> (lists are immutable, so they are kept as given).</summary>
public sealed class InMemoryDeviceListStore : IDeviceListStore
{
    private readonly Dictionary<string, DeviceList> _lists = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <inheritdoc />
    public ValueTask<DeviceList?> LoadDeviceListAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            return ValueTask.FromResult(_lists.TryGetValue(name, out var list) ? list : null);
        }
    }

    /// <inheritdoc />
    public ValueTask StoreDeviceListAsync(string name, DeviceList devices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(devices);
        lock (_gate)
        {
            _lists[name] = devices;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeleteDeviceListAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            _lists.Remove(name);
        }

        return ValueTask.CompletedTask;
    }
}
