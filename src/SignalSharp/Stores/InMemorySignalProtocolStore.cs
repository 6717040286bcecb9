using SignalSharp;

namespace SignalSharp;

/// <summary>
/// The in-memory stores of one device behind one object (each part is thread-safe). Commits of
/// <see cref="ITransactionalSignalProtocolStore"/> apply all their changes under the session table's lock.
/// </summary>
public sealed class InMemorySignalProtocolStore : ITransactionalSignalProtocolStore
{
    private readonly InMemoryIdentityKeyStore _identities;
    private readonly InMemorySessionStore _sessions = new();
    private readonly InMemoryPreKeyStore _preKeys = new();
    private readonly InMemorySignedPreKeyStore _signedPreKeys = new();
    private readonly InMemoryKyberPreKeyStore _kyberPreKeys = new();

    /// <summary>Creates empty stores for a local identity.</summary>
    /// <param name="identity">The local identity key pair (the store keeps a serialized copy).</param>
    /// <param name="registrationId">The local registration id.</param>
    public InMemorySignalProtocolStore(IdentityKeyPair identity, uint registrationId)
    {
        _identities = new InMemoryIdentityKeyStore(identity, registrationId);
    }

    /// <inheritdoc />
    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => _identities.GetIdentityKeyPairAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => _identities.GetLocalRegistrationIdAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default) => _identities.SaveIdentityAsync(address, identityKey, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default) => _identities.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => _identities.GetIdentityAsync(address, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => _sessions.LoadSessionAsync(address, cancellationToken);

    /// <inheritdoc />
    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default) => _sessions.StoreSessionAsync(address, record, cancellationToken);

    /// <inheritdoc />
    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => _sessions.DeleteSessionAsync(address, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default) => _sessions.GetDeviceIdsAsync(name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default) => _preKeys.LoadPreKeyAsync(preKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default) => _preKeys.StorePreKeyAsync(preKeyId, record, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default) => _preKeys.RemovePreKeyAsync(preKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default) => _signedPreKeys.LoadSignedPreKeyAsync(signedPreKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default) => _signedPreKeys.StoreSignedPreKeyAsync(signedPreKeyId, record, cancellationToken);

    /// <summary>
    /// Deletes a signed pre-key and wipes its stored bytes, e.g. one that was rotated out and whose grace period
    /// for late PreKey messages is over. A PreKey message naming it then fails with
    /// <see cref="InvalidKeyIdException"/>. Removing an id that is not held does nothing.
    /// </summary>
    /// <param name="signedPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is gone.</returns>
    public ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default) => _signedPreKeys.RemoveSignedPreKeyAsync(signedPreKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default) => _kyberPreKeys.LoadKyberPreKeyAsync(kyberPreKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default) => _kyberPreKeys.StoreKyberPreKeyAsync(kyberPreKeyId, record, cancellationToken);

    /// <summary>
    /// Deletes a Kyber pre-key and wipes its stored bytes, e.g. a last-resort key that was rotated out and whose
    /// grace period for late PreKey messages is over. The replay-log entries of that id go with it: without the
    /// key, a replayed message fails with <see cref="InvalidKeyIdException"/> when the key is loaded. Removing an
    /// id that is not held does nothing.
    /// </summary>
    /// <param name="kyberPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record and its replay-log entries are gone.</returns>
    public ValueTask RemoveKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default) => _kyberPreKeys.RemoveKyberPreKeyAsync(kyberPreKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default) => _kyberPreKeys.MarkKyberPreKeyUsedAsync(kyberPreKeyId, signedPreKeyId, baseKey, cancellationToken);

    /// <inheritdoc />
    public ValueTask<VersionedSessionRecord> LoadSessionForUpdateAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_sessions.LoadVersioned(address));

    /// <inheritdoc />
    /// <remarks>
    /// Only the one-time pre-key check and the Kyber pre-key use can refuse; they run first, so a refusal changes
    /// nothing. The other parts cannot fail once they passed, and all of them happen under the session table's lock.
    /// </remarks>
    public ValueTask<bool> TryCommitAsync(SessionCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        bool committed = _sessions.TryStore(commit.Address, commit.Record, commit.ExpectedVersion.Span, () =>
        {
            // Checks first, so that a refusal changes nothing: the one-time pre-key must still be held, and the
            // Kyber use may be refused (unknown id, replayed last-resort use).
            if (commit.RemovedPreKeyId is { } preKeyId && !_preKeys.Contains(preKeyId))
            {
                throw new InvalidKeyIdException($"the pre-key with id {preKeyId} was used meanwhile");
            }

            if (commit.KyberPreKeyUse is { } use)
            {
                _kyberPreKeys.MarkUsed(use.KyberPreKeyId, use.SignedPreKeyId, use.BaseKey);
            }

            if (commit.Identity is { } identity)
            {
                _identities.Save(commit.Address, identity);
            }

            if (commit.RemovedPreKeyId is { } removed)
            {
                _preKeys.Remove(removed);
            }
        });
        return ValueTask.FromResult(committed);
    }
}
