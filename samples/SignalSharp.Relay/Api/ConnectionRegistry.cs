using System.Collections.Concurrent;

namespace SignalSharp.Relay.Api;

/// <summary>At most one delivery connection per device: a new one closes the previous one.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<DeviceKey, CancellationTokenSource> _live = new();

    /// <summary>Registers a connection and returns the token that ends it when it is replaced or its device removed.</summary>
    public CancellationTokenSource Open(DeviceKey device)
    {
        var mine = new CancellationTokenSource();
        _live.AddOrUpdate(device, mine, (_, previous) =>
        {
            previous.Cancel();
            return mine;
        });
        return mine;
    }

    /// <summary>Unregisters a connection that ended (if it is still the registered one).</summary>
    public void Release(DeviceKey device, CancellationTokenSource connection)
        => _live.TryRemove(new KeyValuePair<DeviceKey, CancellationTokenSource>(device, connection));

    /// <summary>Ends the device's connection, if any.</summary>
    public void Close(DeviceKey device)
    {
        if (_live.TryRemove(device, out var connection))
        {
            connection.Cancel();
        }
    }

    /// <summary>Devices connected right now.</summary>
    public bool IsConnected(DeviceKey device) => _live.ContainsKey(device);
}
