using SignalSharp.Concurrency;

namespace SignalSharp.Groups.Concurrency;

/// <summary>
/// The lock registry of each roster store: every <see cref="GroupSession"/> over the same store instance shares it,
/// so concurrent operations on one group run one at a time.
/// </summary>
internal static class GroupRosterLocks
{
    internal static AsyncKeyedLock<string> For(IGroupRosterStore store) => LockRegistry<IGroupRosterStore, string>.For(store);
}
