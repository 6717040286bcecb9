using System.Runtime.CompilerServices;
using SignalSharp.Concurrency;

namespace SignalSharp.Groups.Concurrency;

/// <summary>
/// The lock registry of each sender-key store: every <see cref="GroupCipher"/> over the same store instance shares
/// it, so concurrent operations on one (sender, distribution id) pair run one at a time.
/// </summary>
internal static class SenderKeyLocks
{
    private static readonly ConditionalWeakTable<ISenderKeyStore, AsyncKeyedLock<SenderKeyName>> Registries = new();

    internal static AsyncKeyedLock<SenderKeyName> For(ISenderKeyStore store) => Registries.GetValue(store, static _ => new AsyncKeyedLock<SenderKeyName>());
}
