namespace SignalSharp.Concurrency;

/// <summary>
/// One asynchronous mutex per key, created on demand and dropped when nobody holds or awaits it, so that work
/// on one key is serialized while different keys never wait on each other. Used per store object: sessions by
/// remote address, one-time pre-keys by id, sender keys by (sender, distribution id).
/// </summary>
internal sealed class AsyncKeyedLock<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, Entry> _entries = [];
    private readonly object _gate = new();

    // One idle entry kept for the next key: the usual call finds no entry (the previous call dropped it), and
    // reusing one saves allocating an entry and its semaphore for every message.
    private Entry? _spare;

    /// <summary>Waits for exclusive use of <paramref name="key"/>; dispose the result to release it.</summary>
    internal async ValueTask<Releaser> AcquireAsync(TKey key, CancellationToken cancellationToken)
    {
        Entry? entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry))
            {
                entry = _spare ?? new Entry();
                _spare = null;
                _entries.Add(key, entry);
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }

        return new Releaser(this, key, entry);
    }

    /// <summary>How many keys currently have holders or waiters (for tests).</summary>
    internal int ActiveKeys
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    private void Leave(TKey key, Entry entry)
    {
        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(key);

                // Nobody holds or waits for it (a holder releases the semaphore before leaving).
                if (entry.Semaphore.CurrentCount == 1)
                {
                    _spare = entry;
                }
            }
        }
    }

    /// <summary>Releases the key when disposed; the default value holds nothing and releases nothing.</summary>
    internal readonly struct Releaser : IDisposable
    {
        private readonly AsyncKeyedLock<TKey>? _owner;
        private readonly TKey _key;
        private readonly Entry? _entry;

        internal Releaser(AsyncKeyedLock<TKey> owner, TKey key, Entry entry)
        {
            _owner = owner;
            _key = key;
            _entry = entry;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_owner is null || _entry is null)
            {
                return;
            }

            _entry.Semaphore.Release();
            _owner.Leave(_key, _entry);
        }
    }

    internal sealed class Entry
    {
        internal SemaphoreSlim Semaphore { get; } = new(1, 1);

        internal int Users { get; set; }
    }
}
