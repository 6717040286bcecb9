using SignalSharp;

namespace SignalSharp.Benchmarks.Scale;

/// <summary>
/// An in-memory session store that keeps records serialized (parse on load, serialize on store), as a durable
/// store must: the difference to <see cref="InMemorySessionStore"/> (which hands out clones of live objects) is what
/// serialization costs a protocol operation, without sealing or SQLite.
/// </summary>
internal sealed class SerializedSessionStore : ISessionStore
{
    private readonly Dictionary<ProtocolAddress, byte[]> _records = [];

    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_records.TryGetValue(address, out var bytes) ? SessionRecord.Deserialize(bytes) : null);

    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        _records[address] = record.Serialize();
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        _records.Remove(address);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyList<int>>(_records.Keys.Where(a => a.Name == name).Select(a => a.DeviceId).Order().ToList());
}
