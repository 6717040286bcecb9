using SignalSharp;

namespace SignalSharp;

/// <summary>
/// Loads session records for an update and commits an operation's changes: in one transaction when every store an
/// operation writes is one <see cref="ITransactionalSignalProtocolStore"/>, otherwise with the separate per-store
/// calls (the fallback for custom stores; docs/storage.md, "Transactions").
/// </summary>
internal sealed class StoreCommitter
{
    private readonly ISessionStore _sessionStore;
    private readonly IIdentityKeyStore _identityStore;
    private readonly IPreKeyStore? _preKeyStore;
    private readonly IKyberPreKeyStore? _kyberPreKeyStore;
    private readonly ITransactionalSignalProtocolStore? _transactional;

    public StoreCommitter(ISessionStore sessionStore, IIdentityKeyStore identityStore, IPreKeyStore? preKeyStore, IKyberPreKeyStore? kyberPreKeyStore)
    {
        _sessionStore = sessionStore;
        _identityStore = identityStore;
        _preKeyStore = preKeyStore;
        _kyberPreKeyStore = kyberPreKeyStore;

        // A transaction can only span stores that are one object: a commit through the session store must not
        // write an identity or delete a pre-key in a store the caller kept separate.
        if (sessionStore is ITransactionalSignalProtocolStore transactional
            && ReferenceEquals(identityStore, transactional)
            && (preKeyStore is null || ReferenceEquals(preKeyStore, transactional))
            && (kyberPreKeyStore is null || ReferenceEquals(kyberPreKeyStore, transactional)))
        {
            _transactional = transactional;
        }
    }

    /// <summary>True when commits are atomic (one transaction).</summary>
    public bool IsTransactional => _transactional is not null;

    /// <summary>Loads the record of <paramref name="address"/> with its version (an empty version on the fallback path).</summary>
    public async ValueTask<VersionedSessionRecord> LoadAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        if (_transactional is not null)
        {
            return await _transactional.LoadSessionForUpdateAsync(address, cancellationToken).ConfigureAwait(false);
        }

        var record = await _sessionStore.LoadSessionAsync(address, cancellationToken).ConfigureAwait(false);
        return new VersionedSessionRecord(record, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>
    /// Commits <paramref name="commit"/>; false when the record changed since it was loaded (nothing written; load and
    /// try again). The fallback always returns true.
    /// </summary>
    public async ValueTask<bool> CommitAsync(SessionCommit commit, CancellationToken cancellationToken)
    {
        if (_transactional is not null)
        {
            return await _transactional.TryCommitAsync(commit, cancellationToken).ConfigureAwait(false);
        }

        // Fallback: separate writes in the order that keeps a refused Kyber use harmless (it goes first and may
        // throw before anything changed). Once it has consumed the key, cancelling half-way would strand the
        // message, so the remaining writes ignore the caller's token; a store failing between them can still do
        // so, which only a transactional store rules out.
        var remaining = cancellationToken;
        if (commit.KyberPreKeyUse is { } use)
        {
            await _kyberPreKeyStore!.MarkKyberPreKeyUsedAsync(use.KyberPreKeyId, use.SignedPreKeyId, use.BaseKey, cancellationToken).ConfigureAwait(false);
            remaining = CancellationToken.None;
        }

        if (commit.Identity is { } identity)
        {
            await _identityStore.SaveIdentityAsync(commit.Address, identity, remaining).ConfigureAwait(false);
        }

        if (commit.RemovedPreKeyId is { } preKeyId)
        {
            await _preKeyStore!.RemovePreKeyAsync(preKeyId, remaining).ConfigureAwait(false);
        }

        await _sessionStore.StoreSessionAsync(commit.Address, commit.Record, remaining).ConfigureAwait(false);
        return true;
    }
}
