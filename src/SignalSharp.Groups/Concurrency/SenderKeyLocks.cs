using SignalSharp.Concurrency;

namespace SignalSharp.Groups.Concurrency;

/// <summary>
/// The lock registry of each sender-key store: every <see cref="GroupCipher"/> over the same store instance shares
/// it, so concurrent operations on one (sender, distribution id) pair run one at a time.
/// </summary>
internal static class SenderKeyLocks
{
    internal static AsyncKeyedLock<SenderKeyName> For(ISenderKeyStore store) => LockRegistry<ISenderKeyStore, SenderKeyName>.For(store);
}
