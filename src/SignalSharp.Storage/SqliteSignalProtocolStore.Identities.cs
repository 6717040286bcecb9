using SignalSharp;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>The identity part: the local identity and trust on first use keyed by user name.</summary>
public sealed partial class SqliteSignalProtocolStore
{
    /// <inheritdoc />
    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Load(RecordKind.Local, () => LocalKey, IdentityKeyPair.Deserialize, cancellationToken)
            ?? throw new StorageCorruptedException("the database holds no local identity") { DatabasePath = DatabasePath });

    /// <inheritdoc />
    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Guarded(() => _registrationId, cancellationToken));

    /// <inheritdoc />
    public ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(identityKey);
        using var entry = StoredEntry.Identity(address.Name, identityKey.Serialize());
        return ValueTask.FromResult(Guarded(() =>
        {
            ForgetIdentity(address.Name);
            using var tx = _connection.BeginTransaction();
            bool replaced;
            using (var existing = ReadEntry(RecordKind.Identity, StoredEntry.NameTag(_sealer, address.Name), tx))
            {
                replaced = existing is not null && !ParseStored(existing.Value, IdentityKey.Deserialize).Equals(identityKey);
            }

            WriteEntry(entry, tx);
            tx.Commit();
            return replaced;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(identityKey);
        var known = Guarded(() => LoadIdentityCached(address.Name), cancellationToken);
        return ValueTask.FromResult(known is null || known.Equals(identityKey));
    }

    /// <inheritdoc />
    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ValueTask.FromResult(Guarded(() => LoadIdentityCached(address.Name), cancellationToken));
    }
}
