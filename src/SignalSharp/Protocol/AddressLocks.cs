using System.Runtime.CompilerServices;
using SignalSharp.Concurrency;
using SignalSharp.Stores;

namespace SignalSharp;

/// <summary>
/// Serializes session work per remote address: every cipher and builder over the same session store instance
/// shares one lock per address, so concurrent calls for one address run one at a time and different addresses
/// never wait on each other.
/// </summary>
internal static class AddressLocks
{
    private static readonly ConditionalWeakTable<ISessionStore, AsyncKeyedLock<ProtocolAddress>> Registries = [];

    /// <summary>The lock registry belonging to <paramref name="store"/>.</summary>
    public static AsyncKeyedLock<ProtocolAddress> For(ISessionStore store) => Registries.GetValue(store, static _ => new AsyncKeyedLock<ProtocolAddress>());
}
