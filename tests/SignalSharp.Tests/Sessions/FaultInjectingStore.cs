using SignalSharp;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// An in-memory store whose writes start failing, like a full disk, from the Nth write after <see cref="FailFromWrite"/>
/// until <see cref="Heal"/>. This one has no unit of work, as a custom store without it.
/// </summary>
internal class FaultInjectingStore : ISignalProtocolStore
{
    private readonly InMemorySignalProtocolStore _inner;
    private int _writesUntilFailure = int.MaxValue;

    public FaultInjectingStore(InMemorySignalProtocolStore inner)
    {
        _inner = inner;
    }

    protected InMemorySignalProtocolStore Inner => _inner;

    /// <summary>The number of writes attempted since the last <see cref="FailFromWrite"/>.</summary>
    public int Writes { get; private set; }

    /// <summary>Makes write <paramref name="n"/> (1-based, counted from now) and every later one fail.</summary>
    public void FailFromWrite(int n)
    {
        Writes = 0;
        _writesUntilFailure = n;
    }

    /// <summary>Frees the disk: writes succeed again.</summary>
    public void Heal() => _writesUntilFailure = int.MaxValue;

    protected void Write()
    {
        Writes++;
        if (Writes >= _writesUntilFailure)
        {
            throw new IOException("simulated disk full");
        }
    }

    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => _inner.GetIdentityKeyPairAsync(cancellationToken);

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => _inner.GetLocalRegistrationIdAsync(cancellationToken);

    public ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        Write();
        return _inner.SaveIdentityAsync(address, identityKey, cancellationToken);
    }

    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default)
        => _inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => _inner.GetIdentityAsync(address, cancellationToken);

    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => _inner.LoadSessionAsync(address, cancellationToken);

    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        Write();
        return _inner.StoreSessionAsync(address, record, cancellationToken);
    }

    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        Write();
        return _inner.DeleteSessionAsync(address, cancellationToken);
    }

    public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default) => _inner.GetDeviceIdsAsync(name, cancellationToken);

    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default) => _inner.LoadPreKeyAsync(preKeyId, cancellationToken);

    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default)
    {
        Write();
        return _inner.StorePreKeyAsync(preKeyId, record, cancellationToken);
    }

    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        Write();
        return _inner.RemovePreKeyAsync(preKeyId, cancellationToken);
    }

    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default) => _inner.LoadSignedPreKeyAsync(signedPreKeyId, cancellationToken);

    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        Write();
        return _inner.StoreSignedPreKeyAsync(signedPreKeyId, record, cancellationToken);
    }

    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default) => _inner.LoadKyberPreKeyAsync(kyberPreKeyId, cancellationToken);

    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        Write();
        return _inner.StoreKyberPreKeyAsync(kyberPreKeyId, record, cancellationToken);
    }

    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        Write();
        return _inner.MarkKyberPreKeyUsedAsync(kyberPreKeyId, signedPreKeyId, baseKey, cancellationToken);
    }
}

/// <summary>The same with the unit of work: a commit counts as one write (it stands for one database transaction).</summary>
internal sealed class TransactionalFaultInjectingStore(InMemorySignalProtocolStore inner) : FaultInjectingStore(inner), ITransactionalSignalProtocolStore
{
    public ValueTask<VersionedSessionRecord> LoadSessionForUpdateAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => Inner.LoadSessionForUpdateAsync(address, cancellationToken);

    public ValueTask<bool> TryCommitAsync(SessionCommit commit, CancellationToken cancellationToken = default)
    {
        Write();
        return Inner.TryCommitAsync(commit, cancellationToken);
    }
}
