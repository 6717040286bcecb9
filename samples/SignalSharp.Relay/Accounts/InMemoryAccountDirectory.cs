namespace SignalSharp.Relay.Accounts;

/// <summary>The default <see cref="IAccountDirectory"/>: a dictionary under one lock.</summary>
public sealed class InMemoryAccountDirectory : IAccountDirectory
{
    private readonly Dictionary<string, Entry> _accounts = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <inheritdoc />
    public ValueTask<bool> TryCreateAsync(string name, DeviceRecord primary, int maxAccounts, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_accounts.Count >= maxAccounts || _accounts.ContainsKey(name))
            {
                return ValueTask.FromResult(false);
            }

            var entry = new Entry { NextDeviceId = primary.DeviceId + 1 };
            entry.Devices.Add(primary);
            _accounts.Add(name, entry);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<Account?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_accounts.TryGetValue(name, out var entry) ? Snapshot(name, entry) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<DeviceRecord?> TryAddDeviceAsync(string name, uint registrationId, byte[] secretHash, int maxDevices, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(name, out var entry) || entry.Devices.Count >= maxDevices || entry.NextDeviceId > ProtocolAddress.MaxDeviceId)
            {
                return ValueTask.FromResult<DeviceRecord?>(null);
            }

            var device = new DeviceRecord(entry.NextDeviceId++, registrationId, secretHash);
            entry.Devices.Add(device);
            return ValueTask.FromResult<DeviceRecord?>(device);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReplaceDeviceAsync(string name, DeviceRecord device, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(name, out var entry))
            {
                return ValueTask.FromResult(false);
            }

            int index = entry.Devices.FindIndex(d => d.DeviceId == device.DeviceId);
            if (index < 0)
            {
                return ValueTask.FromResult(false);
            }

            entry.Devices[index] = device;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveDeviceAsync(string name, int deviceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_accounts.TryGetValue(name, out var entry) && entry.Devices.RemoveAll(d => d.DeviceId == deviceId) > 0);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Account>>(_accounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => Snapshot(a.Key, a.Value)).ToArray());
        }
    }

    private static Account Snapshot(string name, Entry entry) => new(name, entry.Devices.OrderBy(d => d.DeviceId).ToArray());

    private sealed class Entry
    {
        public List<DeviceRecord> Devices { get; } = new();

        public int NextDeviceId { get; set; }
    }
}
