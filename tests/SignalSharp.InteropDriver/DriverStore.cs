using SignalSharp;

namespace SignalSharp.InteropDriver;

/// <summary>
/// One client's stores (same semantics as SignalSharp's in-memory stores: TOFU by name, one-time vs
/// last-resort Kyber keys) whose whole content can be snapshotted and restored, so that a failed request
/// changes no state even if it failed after a store call. Values are immutable (bytes, or records that are
/// copied in and out), so a snapshot is a shallow copy of the maps. The driver is single-threaded.
/// </summary>
internal sealed class DriverStore : ISignalProtocolStore
{
    private readonly byte[] _identity;
    private readonly uint _registrationId;
    private State _state = new();

    public DriverStore(IdentityKeyPair identity, uint registrationId)
    {
        _identity = identity.Serialize();
        _registrationId = registrationId;
    }

    public object Snapshot() => _state.Copy();

    public void Restore(object snapshot) => _state = ((State)snapshot).Copy();

    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(IdentityKeyPair.Deserialize(_identity));

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_registrationId);

    public ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        bool replaced = _state.Identities.TryGetValue(address.Name, out var existing) && !existing.Equals(identityKey);
        _state.Identities[address.Name] = identityKey;
        return ValueTask.FromResult(replaced);
    }

    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(!_state.Identities.TryGetValue(address.Name, out var existing) || existing.Equals(identityKey));

    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_state.Identities.TryGetValue(address.Name, out var key) ? key : null);

    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_state.Sessions.TryGetValue(address, out var bytes) ? SessionRecord.Deserialize(bytes) : null);

    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        _state.Sessions[address] = record.Serialize();
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        _state.Sessions.Remove(address);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyList<int>>([.. _state.Sessions.Keys.Where(a => a.Name == name).Select(a => a.DeviceId).Order()]);

    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_state.PreKeys.TryGetValue(preKeyId, out var bytes) ? PreKeyRecord.Deserialize(bytes) : null);

    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default)
    {
        _state.PreKeys[preKeyId] = record.Serialize();
        return ValueTask.CompletedTask;
    }

    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        _state.PreKeys.Remove(preKeyId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_state.SignedPreKeys.TryGetValue(signedPreKeyId, out var bytes) ? SignedPreKeyRecord.Deserialize(bytes) : null);

    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        _state.SignedPreKeys[signedPreKeyId] = record.Serialize();
        return ValueTask.CompletedTask;
    }

    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_state.KyberPreKeys.TryGetValue(kyberPreKeyId, out var bytes) ? KyberPreKeyRecord.Deserialize(bytes) : null);

    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        _state.KyberPreKeys[kyberPreKeyId] = record.Serialize();
        return ValueTask.CompletedTask;
    }

    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        if (!_state.KyberPreKeys.TryGetValue(kyberPreKeyId, out var bytes))
        {
            throw new InvalidKeyIdException($"no Kyber pre-key with id {kyberPreKeyId}");
        }

        using var record = KyberPreKeyRecord.Deserialize(bytes);
        if (!record.IsLastResort)
        {
            _state.KyberPreKeys.Remove(kyberPreKeyId);
        }
        else if (!_state.UsedLastResort.Add($"{kyberPreKeyId}:{signedPreKeyId}:{Convert.ToHexString(baseKey.Serialize())}"))
        {
            throw new InvalidMessageException($"last-resort Kyber pre-key {kyberPreKeyId} reused with the same base key");
        }

        return ValueTask.CompletedTask;
    }

    private sealed class State
    {
        public Dictionary<string, IdentityKey> Identities { get; init; } = new(StringComparer.Ordinal);

        public Dictionary<ProtocolAddress, byte[]> Sessions { get; init; } = [];

        public Dictionary<uint, byte[]> PreKeys { get; init; } = [];

        public Dictionary<uint, byte[]> SignedPreKeys { get; init; } = [];

        public Dictionary<uint, byte[]> KyberPreKeys { get; init; } = [];

        public HashSet<string> UsedLastResort { get; init; } = [];

        public State Copy() => new()
        {
            Identities = new(Identities, StringComparer.Ordinal),
            Sessions = new(Sessions),
            PreKeys = new(PreKeys),
            SignedPreKeys = new(SignedPreKeys),
            KyberPreKeys = new(KyberPreKeys),
            UsedLastResort = [.. UsedLastResort],
        };
    }
}
