using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Storage;

namespace SignalSharp.Messenger;

/// <summary>
/// The receive path's view of the durable store: reads go through, and the writes a decryption makes (session,
/// identity, one-time pre-key removal, Kyber bookkeeping, sender keys) are held back until <see cref="FlushAsync"/>.
/// </summary>
/// <remarks>
/// Why: the device must record a plaintext before the protocol state that produced it is committed. Otherwise a
/// crash between the two loses the message for good, because its redelivery is then a duplicate the ratchet
/// refuses. With this order a crash leaves the message recorded (the envelope id says "done", so the redelivery is
/// acknowledged unread) and the ratchet merely one step behind, which the next message from that sender makes up
/// (its keys derive from the chain regardless). Flushing writes the session before the pre-key removal, so a crash
/// in the middle leaves at worst an unused pre-key behind, never a session whose pre-key is gone.
/// Not thread-safe on its own: the device runs one batch at a time under its protocol gate.
/// </remarks>
internal sealed class StagedProtocolStore(SqliteSignalProtocolStore inner) : ISignalProtocolStore, ISenderKeyStore
{
    private readonly object _gate = new();
    private readonly Dictionary<ProtocolAddress, byte[]?> _sessions = new();
    private readonly Dictionary<ProtocolAddress, IdentityKey> _identities = new();
    private readonly HashSet<uint> _removedPreKeys = new();
    private readonly List<(uint Kyber, uint Signed, EcPublicKey BaseKey)> _kyberUses = new();
    private readonly Dictionary<(ProtocolAddress, Guid), byte[]> _senderKeys = new();

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        (ProtocolAddress, Guid, byte[])[] senderKeys;
        (ProtocolAddress, byte[]?)[] sessions;
        (ProtocolAddress, IdentityKey)[] identities;
        uint[] removed;
        (uint, uint, EcPublicKey)[] kyberUses;
        lock (_gate)
        {
            senderKeys = _senderKeys.Select(e => (e.Key.Item1, e.Key.Item2, e.Value)).ToArray();
            sessions = _sessions.Select(e => (e.Key, e.Value)).ToArray();
            identities = _identities.Select(e => (e.Key, e.Value)).ToArray();
            removed = _removedPreKeys.ToArray();
            kyberUses = _kyberUses.ToArray();
            Clear();
        }

        foreach (var (sender, distribution, record) in senderKeys)
        {
            await inner.StoreSenderKeyAsync(sender, distribution, SenderKeyRecord.Deserialize(record), cancellationToken);
        }

        foreach (var (address, record) in sessions)
        {
            if (record is null)
            {
                await inner.DeleteSessionAsync(address, cancellationToken);
            }
            else
            {
                await inner.StoreSessionAsync(address, SessionRecord.Deserialize(record), cancellationToken);
            }
        }

        foreach (var (address, identity) in identities)
        {
            await inner.SaveIdentityAsync(address, identity, cancellationToken);
        }

        foreach (uint id in removed)
        {
            await inner.RemovePreKeyAsync(id, cancellationToken);
        }

        foreach (var (kyber, signed, baseKey) in kyberUses)
        {
            try
            {
                await inner.MarkKyberPreKeyUsedAsync(kyber, signed, baseKey, cancellationToken);
            }
            catch (SignalProtocolException)
            {
                // A last-resort replay inside one batch: the batch already checked this against the staged list,
                // so only a key used twice across a crash can land here; the replay log keeps the first entry.
            }
        }
    }

    /// <summary>Drops every staged write (the batch failed before its plaintexts were recorded).</summary>
    public void Discard()
    {
        lock (_gate)
        {
            Clear();
        }
    }

    private void Clear()
    {
        _sessions.Clear();
        _identities.Clear();
        _removedPreKeys.Clear();
        _kyberUses.Clear();
        _senderKeys.Clear();
    }

    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => inner.GetIdentityKeyPairAsync(cancellationToken);

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => inner.GetLocalRegistrationIdAsync(cancellationToken);

    public async ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        var previous = await GetIdentityAsync(address, cancellationToken);
        lock (_gate)
        {
            _identities[address] = identityKey;
        }

        return previous is not null && !previous.Equals(identityKey);
    }

    public async ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default)
    {
        IdentityKey? staged;
        lock (_gate)
        {
            _identities.TryGetValue(address, out staged);
        }

        // Trust on first use, as the inner store: a staged identity counts as the saved one.
        return staged is not null ? staged.Equals(identityKey) : await inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);
    }

    public async ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_identities.TryGetValue(address, out var staged))
            {
                return staged;
            }
        }

        return await inner.GetIdentityAsync(address, cancellationToken);
    }

    public async ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_sessions.TryGetValue(address, out var staged))
            {
                return staged is null ? null : SessionRecord.Deserialize(staged);
            }
        }

        return await inner.LoadSessionAsync(address, cancellationToken);
    }

    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        byte[] serialized = record.Serialize();
        lock (_gate)
        {
            _sessions[address] = serialized;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _sessions[address] = null;
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default)
    {
        var ids = (await inner.GetDeviceIdsAsync(name, cancellationToken)).ToHashSet();
        lock (_gate)
        {
            foreach (var (address, record) in _sessions)
            {
                if (address.Name == name)
                {
                    if (record is null)
                    {
                        ids.Remove(address.DeviceId);
                    }
                    else
                    {
                        ids.Add(address.DeviceId);
                    }
                }
            }
        }

        return ids.Order().ToArray();
    }

    public async ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_removedPreKeys.Contains(preKeyId))
            {
                return null;
            }
        }

        return await inner.LoadPreKeyAsync(preKeyId, cancellationToken);
    }

    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default) => inner.StorePreKeyAsync(preKeyId, record, cancellationToken);

    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _removedPreKeys.Add(preKeyId);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default) => inner.LoadSignedPreKeyAsync(signedPreKeyId, cancellationToken);

    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default) => inner.StoreSignedPreKeyAsync(signedPreKeyId, record, cancellationToken);

    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default) => inner.LoadKyberPreKeyAsync(kyberPreKeyId, cancellationToken);

    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default) => inner.StoreKyberPreKeyAsync(kyberPreKeyId, record, cancellationToken);

    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_kyberUses.Any(u => u.Kyber == kyberPreKeyId && u.Signed == signedPreKeyId && u.BaseKey.Equals(baseKey)))
            {
                throw new InvalidMessageException("the Kyber pre-key was already used with this base key");
            }

            _kyberUses.Add((kyberPreKeyId, signedPreKeyId, baseKey));
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_senderKeys.TryGetValue((sender, distributionId), out var staged))
            {
                return SenderKeyRecord.Deserialize(staged);
            }
        }

        return await inner.LoadSenderKeyAsync(sender, distributionId, cancellationToken);
    }

    public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
    {
        byte[] serialized = record.Serialize();
        lock (_gate)
        {
            _senderKeys[(sender, distributionId)] = serialized;
        }

        return ValueTask.CompletedTask;
    }
}
