using System.Security.Cryptography;

namespace SignalSharp.Groups;

/// <summary>
/// The sending side of one group for the local device: keeps the member list, makes sure every member device
/// holds the local sender key before a message goes out, and rotates the key when a member leaves so that the
/// departed device cannot read anything sent afterwards. Receiving is done with <see cref="GroupCipher"/>.
/// </summary>
/// <remarks>
/// Which members already hold the key is remembered in memory only. A new instance (after a restart) therefore
/// re-sends the current distribution message to every member once; members that already know the chain ignore
/// it, so this costs one pairwise message per member and nothing else. The methods are safe to call
/// concurrently; they run one at a time.
/// </remarks>
public sealed class GroupSession
{
    private readonly GroupCipher _cipher;
    private readonly DistributionMessageSender _send;
    private readonly HashSet<ProtocolAddress> _members = new();
    private readonly HashSet<ProtocolAddress> _holdCurrentKey = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _chainExists;

    /// <summary>Creates the helper for one group.</summary>
    /// <param name="cipher">The local device's group cipher (over its sender-key store).</param>
    /// <param name="self">The local device.</param>
    /// <param name="distributionId">The distribution id the local device uses for this group.</param>
    /// <param name="members">The other member devices (the local device itself is ignored if listed).</param>
    /// <param name="send">How a distribution message reaches one member over its pairwise session.</param>
    public GroupSession(GroupCipher cipher, ProtocolAddress self, Guid distributionId, IEnumerable<ProtocolAddress> members, DistributionMessageSender send)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(send);
        _cipher = cipher;
        Self = self;
        DistributionId = distributionId;
        _send = send;
        AddToMembers(members);
    }

    /// <summary>The local (sending) device.</summary>
    public ProtocolAddress Self { get; }

    /// <summary>The distribution id the local device uses for this group.</summary>
    public Guid DistributionId { get; }

    /// <summary>A snapshot of the member devices.</summary>
    public IReadOnlyCollection<ProtocolAddress> Members
    {
        get
        {
            lock (_members)
            {
                return _members.ToArray();
            }
        }
    }

    /// <summary>
    /// Encrypts a group message once for all members, first sending the current distribution message to every
    /// member that does not hold it yet.
    /// </summary>
    /// <param name="plaintext">The message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The group message; deliver the same bytes to every member.</returns>
    /// <remarks>If delivering a distribution message fails, that exception propagates and nothing is encrypted;
    /// members reached so far are remembered, so a retry sends only to the rest.</remarks>
    public async ValueTask<SenderKeyMessage> EncryptAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DistributeLockedAsync(cancellationToken).ConfigureAwait(false);
            return await _cipher.EncryptAsync(Self, DistributionId, plaintext, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends the current distribution message to every member that does not hold it yet.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every member has been sent the key.</returns>
    public async ValueTask DistributeAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DistributeLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Adds member devices and sends them the current key. They can decrypt messages sent from now on, not
    /// earlier ones (the distribution message carries the chain's current position).
    /// </summary>
    /// <param name="members">The devices to add.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the new members have been sent the key.</returns>
    public async ValueTask AddMembersAsync(IEnumerable<ProtocolAddress> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            AddToMembers(members);
            await DistributeLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Removes member devices and, if any of them was a member, rotates the sender key (new chain and signing
    /// key) and sends it to the remaining members. The removed devices keep only the old chain, so every later
    /// message fails for them with <see cref="NoSenderKeyException"/>.
    /// </summary>
    /// <param name="members">The devices to remove.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the remaining members have been sent the new key.</returns>
    public async ValueTask RemoveMembersAsync(IEnumerable<ProtocolAddress> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool removed = false;
            lock (_members)
            {
                foreach (var member in members)
                {
                    removed |= _members.Remove(member);
                }
            }

            if (removed)
            {
                await RotateLockedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Replaces the member list: devices no longer listed are removed (rotating the key if there are any) and new
    /// devices are sent the key.
    /// </summary>
    /// <param name="members">The complete new list of member devices.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every member holds the current key.</returns>
    public async ValueTask SetMembersAsync(IEnumerable<ProtocolAddress> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        var wanted = members.Where(m => !m.Equals(Self)).ToHashSet();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool removed;
            lock (_members)
            {
                removed = _members.RemoveWhere(m => !wanted.Contains(m)) > 0;
                _members.UnionWith(wanted);
            }

            if (removed)
            {
                await RotateLockedAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DistributeLockedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Rotates the sender key now (for example after a suspected compromise of a member device) and sends the new
    /// key to all members.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every member has been sent the new key.</returns>
    public async ValueTask RotateAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RotateLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void AddToMembers(IEnumerable<ProtocolAddress> members)
    {
        lock (_members)
        {
            foreach (var member in members)
            {
                ArgumentNullException.ThrowIfNull(member, nameof(members));
                if (!member.Equals(Self))
                {
                    _members.Add(member);
                }
            }
        }
    }

    private async ValueTask RotateLockedAsync(CancellationToken cancellationToken)
    {
        // Forget who holds the key before the new chain exists, so a failure below can never leave a member
        // marked as holding a key it was not sent.
        _holdCurrentKey.Clear();
        await _cipher.RotateAsync(Self, DistributionId, cancellationToken).ConfigureAwait(false);
        _chainExists = true;
        await DistributeLockedAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DistributeLockedAsync(CancellationToken cancellationToken)
    {
        ProtocolAddress[] lacking;
        lock (_members)
        {
            _holdCurrentKey.IntersectWith(_members);
            lacking = _members.Where(m => !_holdCurrentKey.Contains(m)).ToArray();
        }

        if (lacking.Length == 0 && _chainExists)
        {
            return;
        }

        // Creating the distribution message also creates the chain on first use, even for a group with no
        // other members yet.
        var message = await _cipher.CreateDistributionMessageAsync(Self, DistributionId, cancellationToken).ConfigureAwait(false);
        _chainExists = true;
        byte[] serialized = message.Serialize();
        try
        {
            foreach (var member in lacking)
            {
                // Each delivery gets its own copy: the app may keep or wipe it.
                await _send(member, (byte[])serialized.Clone(), cancellationToken).ConfigureAwait(false);
                _holdCurrentKey.Add(member);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }
}
