using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A thread-safe in-memory identity store with trust on first use: the first key seen for a user name is
/// trusted, a different one later is not until <see cref="SaveIdentityAsync"/> replaces it. Trust is keyed
/// by the address <em>name</em>, so all devices of a user share one identity.
/// </summary>
public sealed class InMemoryIdentityKeyStore : IIdentityKeyStore
{
    private readonly byte[] _identity;
    private readonly uint _registrationId;
    private readonly Dictionary<string, IdentityKey> _known = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Creates the store for a local identity.</summary>
    /// <param name="identity">The local identity key pair (the store keeps a serialized copy; the caller keeps ownership).</param>
    /// <param name="registrationId">The local registration id.</param>
    public InMemoryIdentityKeyStore(IdentityKeyPair identity, uint registrationId)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity.Serialize();
        _registrationId = registrationId;
    }

    /// <inheritdoc />
    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(IdentityKeyPair.Deserialize(_identity));

    /// <inheritdoc />
    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_registrationId);

    /// <inheritdoc />
    public ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Save(address, identityKey));

    /// <summary>The synchronous body of <see cref="SaveIdentityAsync"/>, for commits.</summary>
    internal bool Save(ProtocolAddress address, IdentityKey identityKey)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(identityKey);
        lock (_gate)
        {
            bool replaced = _known.TryGetValue(address.Name, out var existing) && !existing.Equals(identityKey);
            _known[address.Name] = identityKey;
            return replaced;
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(identityKey);
        lock (_gate)
        {
            return ValueTask.FromResult(!_known.TryGetValue(address.Name, out var existing) || existing.Equals(identityKey));
        }
    }

    /// <inheritdoc />
    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            return ValueTask.FromResult(_known.TryGetValue(address.Name, out var key) ? key : null);
        }
    }
}
