using System.Collections.Concurrent;

namespace SignalSharp.Groups;

/// <summary>A thread-safe <see cref="ISenderKeyStore"/> in memory, for tests and short-lived clients.</summary>
public sealed class InMemorySenderKeyStore : ISenderKeyStore, IDisposable
{
    private readonly ConcurrentDictionary<SenderKeyName, SenderKeyRecord> _records = new();

    /// <summary>How many records are stored.</summary>
    public int Count => _records.Count;

    /// <inheritdoc />
    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_records.TryGetValue(new SenderKeyName(sender, distributionId), out var record))
        {
            return ValueTask.FromResult<SenderKeyRecord?>(null);
        }

        // Stored instances are never mutated (a store replaces them), so cloning needs no lock.
        return ValueTask.FromResult<SenderKeyRecord?>(record.Clone());
    }

    /// <inheritdoc />
    public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        // A replaced record is not wiped here: a concurrent loader may still be cloning it.
        _records[new SenderKeyName(sender, distributionId)] = record.Clone();
        return ValueTask.CompletedTask;
    }

    /// <summary>Wipes every stored record.</summary>
    public void Dispose()
    {
        foreach (var record in _records.Values)
        {
            record.Dispose();
        }

        _records.Clear();
    }
}
