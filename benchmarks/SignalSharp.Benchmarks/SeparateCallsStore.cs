using SignalSharp;

namespace SignalSharp.Benchmarks;

/// <summary>
/// Hides a store's unit of work (<see cref="ITransactionalSignalProtocolStore"/>), so the ciphers use the separate
/// per-store calls: one commit per write, as before the unit of work existed and as a custom store without it.
/// </summary>
internal sealed class SeparateCallsStore(ISignalProtocolStore inner) : ISignalProtocolStore
{
    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => inner.GetIdentityKeyPairAsync(cancellationToken);

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => inner.GetLocalRegistrationIdAsync(cancellationToken);

    public ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default) => inner.SaveIdentityAsync(address, identityKey, cancellationToken);

    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default) => inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => inner.GetIdentityAsync(address, cancellationToken);

    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => inner.LoadSessionAsync(address, cancellationToken);

    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default) => inner.StoreSessionAsync(address, record, cancellationToken);

    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => inner.DeleteSessionAsync(address, cancellationToken);

    public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default) => inner.GetDeviceIdsAsync(name, cancellationToken);

    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default) => inner.LoadPreKeyAsync(preKeyId, cancellationToken);

    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default) => inner.StorePreKeyAsync(preKeyId, record, cancellationToken);

    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default) => inner.RemovePreKeyAsync(preKeyId, cancellationToken);

    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default) => inner.LoadSignedPreKeyAsync(signedPreKeyId, cancellationToken);

    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default) => inner.StoreSignedPreKeyAsync(signedPreKeyId, record, cancellationToken);

    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default) => inner.LoadKyberPreKeyAsync(kyberPreKeyId, cancellationToken);

    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default) => inner.StoreKyberPreKeyAsync(kyberPreKeyId, record, cancellationToken);

    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default) => inner.MarkKyberPreKeyUsedAsync(kyberPreKeyId, signedPreKeyId, baseKey, cancellationToken);
}
