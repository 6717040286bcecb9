using SignalSharp.Sessions;

namespace SignalSharp.Stores;

/// <summary>A thread-safe in-memory session store; it keeps private copies of the records it is given.</summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly Dictionary<ProtocolAddress, SessionRecord> _records = [];
    private readonly object _gate = new();

    /// <inheritdoc />
    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            return ValueTask.FromResult(_records.TryGetValue(address, out var record) ? record.Clone() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(record);
        var copy = record.Clone();
        lock (_gate)
        {
            _records[address] = copy;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            _records.Remove(address);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            IReadOnlyList<int> ids = [.. _records.Keys.Where(a => a.Name == name).Select(a => a.DeviceId).Order()];
            return ValueTask.FromResult(ids);
        }
    }
}
