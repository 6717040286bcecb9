using System.Runtime.CompilerServices;
using SignalSharp.Concurrency;
using SignalSharp.Stores;

namespace SignalSharp;

/// <summary>
/// Serializes the use of each one-time pre-key id per pre-key store instance. PreKey messages from different
/// addresses run in parallel (their address locks differ), so without this two initiators handed the same
/// one-time pre-key could both load it before either removes it, and both sessions would be built on it.
/// </summary>
internal static class PreKeyLocks
{
    private static readonly ConditionalWeakTable<IPreKeyStore, AsyncKeyedLock<uint>> Registries = [];

    /// <summary>The lock registry belonging to <paramref name="store"/>.</summary>
    public static AsyncKeyedLock<uint> For(IPreKeyStore store) => Registries.GetValue(store, static _ => new AsyncKeyedLock<uint>());
}
