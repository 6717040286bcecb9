using System.Runtime.CompilerServices;
using SignalSharp.Stores;

namespace SignalSharp;

/// <summary>
/// Serializes session work per remote address: one async lock per (session store, address), created on
/// demand and dropped when nobody holds or waits for it. Different addresses never wait on each other.
/// </summary>
internal sealed class AddressLocks
{
    private static readonly ConditionalWeakTable<ISessionStore, AddressLocks> Registries = [];

    private readonly Dictionary<ProtocolAddress, Entry> _entries = [];
    private readonly Lock _gate = new();

    // One idle entry kept for the next address: the usual call finds no entry (the previous call dropped it),
    // and reusing one saves allocating an entry and its semaphore for every message.
    private Entry? _spare;

    /// <summary>The lock registry belonging to <paramref name="store"/>.</summary>
    public static AddressLocks For(ISessionStore store) => Registries.GetValue(store, _ => new AddressLocks());

    /// <summary>Waits for the address's lock; dispose the result to release it.</summary>
    public async ValueTask<Releaser> AcquireAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(address, out entry!))
            {
                entry = _spare ?? new Entry();
                _spare = null;
                _entries.Add(address, entry);
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Release(address, entry, held: false);
            throw;
        }

        return new Releaser(this, address, entry);
    }

    private void Release(ProtocolAddress address, Entry entry, bool held)
    {
        if (held)
        {
            entry.Semaphore.Release();
        }

        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(address);

                // Nobody holds or waits for it (the holder released the semaphore before getting here).
                if (entry.Semaphore.CurrentCount == 1)
                {
                    _spare = entry;
                }
            }
        }
    }

    /// <summary>Holds one address's lock until disposed.</summary>
    internal readonly struct Releaser : IDisposable
    {
        private readonly AddressLocks _owner;
        private readonly ProtocolAddress _address;
        private readonly Entry _entry;

        public Releaser(AddressLocks owner, ProtocolAddress address, Entry entry)
        {
            _owner = owner;
            _address = address;
            _entry = entry;
        }

        public void Dispose() => _owner.Release(_address, _entry, held: true);
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
