namespace SignalSharp.Relay.Mailbox;

/// <summary>The default <see cref="IMailboxStore"/>: an ordered list per device under one lock.</summary>
public sealed class InMemoryMailboxStore : IMailboxStore
{
    private readonly Dictionary<DeviceKey, Box> _boxes = new();
    private readonly Dictionary<DeviceKey, List<Action>> _subscribers = new();
    private readonly object _gate = new();

    /// <inheritdoc />
    public ValueTask<bool> TryEnqueueAsync(IReadOnlyList<(DeviceKey Destination, StoredEnvelope Envelope)> entries, int maxCount, long maxBytes, CancellationToken cancellationToken = default)
    {
        var notify = new List<Action>();
        lock (_gate)
        {
            foreach (var group in entries.GroupBy(e => e.Destination))
            {
                _boxes.TryGetValue(group.Key, out var box);
                if ((box?.Items.Count ?? 0) + group.Count() > maxCount || (box?.Bytes ?? 0) + group.Sum(e => (long)e.Envelope.Content.Length) > maxBytes)
                {
                    return ValueTask.FromResult(false);
                }
            }

            foreach (var (destination, envelope) in entries)
            {
                if (!_boxes.TryGetValue(destination, out var box))
                {
                    box = new Box();
                    _boxes.Add(destination, box);
                }

                // The relay's sequence numbers are per mailbox; the caller's value is replaced.
                box.Items.Add(envelope with { Sequence = ++box.LastSequence });
                box.Bytes += envelope.Content.Length;
                if (_subscribers.TryGetValue(destination, out var list))
                {
                    notify.AddRange(list);
                }
            }
        }

        foreach (var callback in notify)
        {
            callback();
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEnvelope>> ReadAsync(DeviceKey device, long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_boxes.TryGetValue(device, out var box))
            {
                return ValueTask.FromResult<IReadOnlyList<StoredEnvelope>>([]);
            }

            // Items are in sequence order: binary-search the first one after the cursor.
            int lo = 0, hi = box.Items.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (box.Items[mid].Sequence <= afterSequence)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return ValueTask.FromResult<IReadOnlyList<StoredEnvelope>>(box.Items.GetRange(lo, Math.Min(max, box.Items.Count - lo)));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> AcknowledgeAsync(DeviceKey device, Guid envelopeId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_boxes.TryGetValue(device, out var box))
            {
                return ValueTask.FromResult(false);
            }

            // Acks arrive nearly in order, so the match is almost always near the front.
            int index = box.Items.FindIndex(e => e.Id == envelopeId);
            if (index < 0)
            {
                return ValueTask.FromResult(false);
            }

            box.Bytes -= box.Items[index].Content.Length;
            box.Items.RemoveAt(index);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<(int Count, long Bytes)> SizeAsync(DeviceKey device, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_boxes.TryGetValue(device, out var box) ? (box.Items.Count, box.Bytes) : (0, 0L));
        }
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(DeviceKey device, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _boxes.Remove(device);
            return ValueTask.CompletedTask;
        }
    }

    /// <inheritdoc />
    public IDisposable Subscribe(DeviceKey device, Action onNewEnvelope)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(device, out var list))
            {
                list = new List<Action>();
                _subscribers.Add(device, list);
            }

            list.Add(onNewEnvelope);
        }

        return new Subscription(this, device, onNewEnvelope);
    }

    private void Unsubscribe(DeviceKey device, Action callback)
    {
        lock (_gate)
        {
            if (_subscribers.TryGetValue(device, out var list) && list.Remove(callback) && list.Count == 0)
            {
                _subscribers.Remove(device);
            }
        }
    }

    private sealed class Box
    {
        public List<StoredEnvelope> Items { get; } = new();

        public long Bytes { get; set; }

        public long LastSequence { get; set; }
    }

    private sealed class Subscription(InMemoryMailboxStore owner, DeviceKey device, Action callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(device, callback);
            }
        }
    }
}
