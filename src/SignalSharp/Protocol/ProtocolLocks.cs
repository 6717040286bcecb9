using SignalSharp;
using SignalSharp.Concurrency;

namespace SignalSharp;

/// <summary>The locks that serialize session work on one store instance.</summary>
internal static class ProtocolLocks
{
    /// <summary>
    /// One lock per remote address: concurrent calls for one address run one at a time, different addresses
    /// never wait on each other.
    /// </summary>
    public static AsyncKeyedLock<ProtocolAddress> ForAddresses(ISessionStore store) => LockRegistry<ISessionStore, ProtocolAddress>.For(store);

    /// <summary>
    /// One lock per one-time pre-key id. PreKey messages from different addresses run in parallel (their address
    /// locks differ), so without it two initiators handed the same one-time pre-key could both load it before
    /// either removes it, and both sessions would be built on it.
    /// </summary>
    public static AsyncKeyedLock<uint> ForOneTimePreKeys(IPreKeyStore store) => LockRegistry<IPreKeyStore, uint>.For(store);
}
