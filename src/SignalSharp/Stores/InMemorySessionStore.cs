using SignalSharp;

namespace SignalSharp;

/// <summary>A thread-safe in-memory session store; it keeps private copies of the records it is given.</summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly Dictionary<ProtocolAddress, SessionRecord> _records = [];
    private readonly Dictionary<ProtocolAddress, long> _versions = [];
    private readonly object _gate = new();
    private long _lastVersion;

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
            _versions[address] = ++_lastVersion;
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
            _versions.Remove(address);
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

    /// <summary>Loads a private copy with the version of the stored record (empty when none is stored).</summary>
    internal VersionedSessionRecord LoadVersioned(ProtocolAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            return _records.TryGetValue(address, out var record)
                ? new VersionedSessionRecord(record.Clone(), BitConverter.GetBytes(_versions[address]))
                : new VersionedSessionRecord(null, ReadOnlyMemory<byte>.Empty);
        }
    }

    /// <summary>
    /// Stores <paramref name="record"/> if the stored one is still at <paramref name="expectedVersion"/>, running
    /// <paramref name="beforeStore"/> first under the same lock (a throw from it stores nothing).
    /// </summary>
    internal bool TryStore(ProtocolAddress address, SessionRecord record, ReadOnlySpan<byte> expectedVersion, Action beforeStore)
    {
        var copy = record.Clone();
        lock (_gate)
        {
            ReadOnlySpan<byte> current = _versions.TryGetValue(address, out long version) ? BitConverter.GetBytes(version) : [];
            if (!current.SequenceEqual(expectedVersion))
            {
                return false;
            }

            beforeStore();
            _records[address] = copy;
            _versions[address] = ++_lastVersion;
            return true;
        }
    }
}
