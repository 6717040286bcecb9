using System.Runtime.CompilerServices;

namespace SignalSharp.Concurrency;

/// <summary>
/// One <see cref="AsyncKeyedLock{TKey}"/> per owner object (a store instance), created on first use and
/// collected with its owner, so every cipher over the same store shares the same locks.
/// </summary>
internal static class LockRegistry<TOwner, TKey>
    where TOwner : class
    where TKey : notnull
{
    private static readonly ConditionalWeakTable<TOwner, AsyncKeyedLock<TKey>> Registries = [];

    /// <summary>The locks belonging to <paramref name="owner"/>.</summary>
    internal static AsyncKeyedLock<TKey> For(TOwner owner) => Registries.GetValue(owner, static _ => new AsyncKeyedLock<TKey>());
}
