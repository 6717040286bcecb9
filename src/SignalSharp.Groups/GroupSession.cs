using System.Security.Cryptography;
using SignalSharp.Concurrency;
using SignalSharp.Crypto;
using SignalSharp.Groups.Concurrency;

namespace SignalSharp.Groups;

/// <summary>
/// The sending side of one group for the local device: keeps the member list, makes sure every member device
/// holds the local sender key before a message goes out, and rotates the key when a member leaves so that the
/// departed device cannot read anything sent afterwards. Receiving is done with <see cref="GroupCipher"/>.
/// </summary>
/// <remarks>
/// Everything it knows lives in the stores: the distribution id, the member list and which members were sent the
/// current sender chain form a <see cref="GroupRoster"/> in an <see cref="IGroupRosterStore"/>, and the chain itself
/// is in the cipher's <see cref="ISenderKeyStore"/>. A session opened again after a restart, over the same stores,
/// therefore sends no distribution message that was already delivered, and a removal stored before a crash still
/// rotates the key. Every operation re-reads the roster, and operations on the same group over the same roster
/// store run one at a time, even through different <see cref="GroupSession"/> instances.
/// </remarks>
public sealed class GroupSession
{
    private readonly GroupCipher _cipher;
    private readonly IGroupRosterStore _rosters;
    private readonly DistributionMessageSender _send;
    private readonly AsyncKeyedLock<string> _locks;

    // The roster this instance last read or wrote and its working copy, reused while the store hands back that
    // same instance (the in-memory store does), so an encryption does not rebuild the member sets each time.
    private GroupRoster? _cachedRoster;
    private Working? _cachedWorking;

    // The sender chain id this instance last checked against the sender-key store; null until the first check.
    private uint? _verifiedChainId;
    private IReadOnlyList<ProtocolAddress> _members;

    private GroupSession(GroupCipher cipher, IGroupRosterStore rosters, ProtocolAddress self, string groupId, DistributionMessageSender send, GroupRoster roster)
    {
        _cipher = cipher;
        _rosters = rosters;
        _send = send;
        _locks = GroupRosterLocks.For(rosters);
        Self = self;
        GroupId = groupId;
        DistributionId = roster.DistributionId;
        _members = roster.Members;
    }

    /// <summary>The local (sending) device.</summary>
    public ProtocolAddress Self { get; }

    /// <summary>The application's identifier of the group: the key of its roster.</summary>
    public string GroupId { get; }

    /// <summary>The distribution id the local device uses for this group, as stored in its roster.</summary>
    public Guid DistributionId { get; }

    /// <summary>The member devices (not the local device) as of this instance's last operation.</summary>
    public IReadOnlyList<ProtocolAddress> Members => _members;

    /// <summary>
    /// Opens the sending side of a group: loads its roster from <paramref name="rosters"/>, or, for a group not
    /// seen before, stores a new roster with no members and a new random distribution id. Opening sends nothing;
    /// add members with <see cref="AddMembersAsync"/> or <see cref="SetMembersAsync"/>.
    /// </summary>
    /// <param name="cipher">The local device's group cipher (over its sender-key store).</param>
    /// <param name="rosters">Where the group's roster is kept (usually the same store object as the sender keys).</param>
    /// <param name="self">The local device.</param>
    /// <param name="groupId">The application's stable identifier of the group (for example its group id in base64).</param>
    /// <param name="send">How a distribution message reaches one member over its pairwise session.</param>
    /// <param name="distributionId">
    /// For a group not stored yet: the distribution id to use instead of a random one (to carry over a group whose
    /// distribution id the app already used; its first message then starts a new chain). For a stored group it
    /// must be null or the stored id.
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ArgumentException"><paramref name="distributionId"/> differs from the stored one, or <paramref name="groupId"/> is empty.</exception>
    public static async ValueTask<GroupSession> OpenAsync(
        GroupCipher cipher,
        IGroupRosterStore rosters,
        ProtocolAddress self,
        string groupId,
        DistributionMessageSender send,
        Guid? distributionId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        ArgumentNullException.ThrowIfNull(rosters);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        ArgumentNullException.ThrowIfNull(send);
        using var held = await GroupRosterLocks.For(rosters).AcquireAsync(groupId, cancellationToken).ConfigureAwait(false);
        var roster = await rosters.LoadGroupRosterAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (roster is null)
        {
            roster = new GroupRoster(distributionId ?? NewDistributionId(cipher.Random), null, [], []);
            await rosters.StoreGroupRosterAsync(groupId, roster, cancellationToken).ConfigureAwait(false);
        }
        else if (distributionId is { } wanted && wanted != roster.DistributionId)
        {
            throw new ArgumentException($"group {groupId} already uses distribution id {roster.DistributionId}, not {wanted}", nameof(distributionId));
        }

        return new GroupSession(cipher, rosters, self, groupId, send, roster);
    }

    /// <summary>
    /// Encrypts a group message once for all members, first sending the current distribution message to every
    /// member that does not hold it yet.
    /// </summary>
    /// <param name="plaintext">The message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The group message; deliver the same bytes to every member.</returns>
    /// <remarks>If delivering a distribution message fails, that exception propagates and nothing is encrypted;
    /// members reached so far are stored as holding the key, so a retry sends only to the rest.</remarks>
    public async ValueTask<SenderKeyMessage> EncryptAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        using var held = await _locks.AcquireAsync(GroupId, cancellationToken).ConfigureAwait(false);
        var state = await LoadLockedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DistributeLockedAsync(state, cancellationToken).ConfigureAwait(false);
            return await _cipher.EncryptAsync(Self, DistributionId, plaintext, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Forget();
            throw;
        }
    }

    /// <summary>Sends the current distribution message to every member that does not hold it yet.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every member has been sent the key.</returns>
    public ValueTask DistributeAsync(CancellationToken cancellationToken = default)
        => ChangeAsync(static _ => Change.None, cancellationToken);

    /// <summary>
    /// Adds member devices and sends them the current key. They can decrypt messages sent from now on, not
    /// earlier ones (the distribution message carries the chain's current position).
    /// </summary>
    /// <param name="members">The devices to add (the local device is ignored if listed).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the new members have been sent the key.</returns>
    public ValueTask AddMembersAsync(IEnumerable<ProtocolAddress> members, CancellationToken cancellationToken = default)
    {
        var added = Checked(members);
        return ChangeAsync(state => AddAll(state.Members, added) ? Change.Members : Change.None, cancellationToken);
    }

    /// <summary>
    /// Removes member devices and, if any of them was a member, rotates the sender key (new chain and signing
    /// key) and sends it to the remaining members. The removed devices keep only the old chain, so every later
    /// message fails for them with <see cref="NoSenderKeyException"/>.
    /// </summary>
    /// <param name="members">The devices to remove.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the remaining members have been sent the new key.</returns>
    public ValueTask RemoveMembersAsync(IEnumerable<ProtocolAddress> members, CancellationToken cancellationToken = default)
    {
        var removed = Checked(members);
        return ChangeAsync(state => state.Members.RemoveWhere(removed.Contains) > 0 ? Change.Rotate : Change.None, cancellationToken);
    }

    /// <summary>
    /// Replaces the member list: devices no longer listed are removed (rotating the key if there are any) and new
    /// devices are sent the key. Call it with the group's current membership after opening a session, so that
    /// changes that happened while the app was not running take effect.
    /// </summary>
    /// <param name="members">The complete new list of member devices (the local device is ignored if listed).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every member holds the current key.</returns>
    public ValueTask SetMembersAsync(IEnumerable<ProtocolAddress> members, CancellationToken cancellationToken = default)
    {
        var wanted = Checked(members);
        return ChangeAsync(
            state =>
            {
                bool removed = state.Members.RemoveWhere(m => !wanted.Contains(m)) > 0;
                bool added = AddAll(state.Members, wanted);
                return removed ? Change.Rotate : added ? Change.Members : Change.None;
            },
            cancellationToken);
    }

    /// <summary>
    /// Rotates the sender key now (for example after a suspected compromise of a member device) and sends the new
    /// key to all members.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every member has been sent the new key.</returns>
    public ValueTask RotateAsync(CancellationToken cancellationToken = default)
        => ChangeAsync(static _ => Change.Rotate, cancellationToken);

    private static Guid NewDistributionId(RandomSource random)
    {
        // A version-4 UUID (RFC 9562) from the cipher's randomness, in the big-endian byte order of the wire.
        Span<byte> bytes = stackalloc byte[16];
        random.Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static bool AddAll(HashSet<ProtocolAddress> set, HashSet<ProtocolAddress> items)
    {
        int before = set.Count;
        set.UnionWith(items);
        return set.Count > before;
    }

    private HashSet<ProtocolAddress> Checked(IEnumerable<ProtocolAddress> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var set = new HashSet<ProtocolAddress>();
        foreach (var member in members)
        {
            ArgumentNullException.ThrowIfNull(member, nameof(members));
            if (!member.Equals(Self))
            {
                set.Add(member);
            }
        }

        return set;
    }

    /// <summary>Applies a membership change to the stored roster, then distributes (rotating first when asked).</summary>
    private async ValueTask ChangeAsync(Func<Working, Change> change, CancellationToken cancellationToken)
    {
        using var held = await _locks.AcquireAsync(GroupId, cancellationToken).ConfigureAwait(false);
        var state = await LoadLockedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var what = change(state);
            if (what == Change.Rotate)
            {
                // Stored before the new chain exists: if anything below fails, or the process dies, the roster
                // already lacks the removed members and asks for a new chain, so no later send can reuse the old
                // chain or hand the new one to a removed device.
                state.ChainId = null;
                state.Holders.Clear();
            }

            if (what != Change.None)
            {
                await StoreLockedAsync(state, cancellationToken).ConfigureAwait(false);
            }

            await DistributeLockedAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Forget();
            throw;
        }
    }

    private async ValueTask<Working> LoadLockedAsync(CancellationToken cancellationToken)
    {
        var roster = await _rosters.LoadGroupRosterAsync(GroupId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the roster of group {GroupId} was deleted while a session for it was open");
        if (roster.DistributionId != DistributionId)
        {
            throw new InvalidOperationException($"the roster of group {GroupId} was replaced by one with another distribution id");
        }

        if (!ReferenceEquals(roster, _cachedRoster) || _cachedWorking is null)
        {
            _cachedRoster = roster;
            _cachedWorking = new Working(roster);
            _members = roster.Members;
        }

        return _cachedWorking;
    }

    private async ValueTask StoreLockedAsync(Working state, CancellationToken cancellationToken)
    {
        var roster = new GroupRoster(DistributionId, state.ChainId, state.Members, state.Holders);
        await _rosters.StoreGroupRosterAsync(GroupId, roster, cancellationToken).ConfigureAwait(false);
        _cachedRoster = roster;
        _cachedWorking = state;
        _members = roster.Members;
    }

    /// <summary>After a failure the working copy may be ahead of the store: the next operation reads the store again.</summary>
    private void Forget()
    {
        _cachedRoster = null;
        _cachedWorking = null;
        _verifiedChainId = null;
    }

    private async ValueTask DistributeLockedAsync(Working state, CancellationToken cancellationToken)
    {
        bool dirty = false;

        // The roster names the chain its holders were sent; the sender-key store may hold another one (a backup
        // restore leaves the device's own chains out, or the app rotated through the cipher directly). Then nobody
        // holds the current chain. Checked once per instance and whenever another instance changed the chain.
        if (state.ChainId is { } recorded && recorded != _verifiedChainId)
        {
            uint? current = await _cipher.CurrentChainIdAsync(Self, DistributionId, cancellationToken).ConfigureAwait(false);
            if (current != recorded)
            {
                state.ChainId = current;
                state.Holders.Clear();
                dirty = true;
            }
        }

        SenderKeyDistributionMessage? message = null;
        if (state.ChainId is null)
        {
            message = await _cipher.RotateAsync(Self, DistributionId, cancellationToken).ConfigureAwait(false);
            state.ChainId = message.ChainId;
            state.Holders.Clear();
            dirty = true;
        }

        _verifiedChainId = state.ChainId;
        if (state.Holders.RemoveWhere(h => !state.Members.Contains(h)) > 0)
        {
            dirty = true;
        }

        var lacking = state.Members.Where(m => !state.Holders.Contains(m)).ToArray();
        if (lacking.Length == 0)
        {
            if (dirty)
            {
                await StoreLockedAsync(state, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        message ??= await _cipher.CreateDistributionMessageAsync(Self, DistributionId, cancellationToken).ConfigureAwait(false);
        byte[] serialized = message.Serialize();
        try
        {
            foreach (var member in lacking)
            {
                // Each delivery gets its own copy: the app may keep or wipe it.
                await _send(member, (byte[])serialized.Clone(), cancellationToken).ConfigureAwait(false);
                state.Holders.Add(member);
                dirty = true;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);

            // Stored once for the whole round, also when a delivery failed, so a retry (even after a restart)
            // sends only to the rest. A crash before this line only makes members receive the same key again,
            // which they ignore.
            if (dirty)
            {
                await StoreLockedAsync(state, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private enum Change
    {
        None,
        Members,
        Rotate,
    }

    /// <summary>The mutable working copy of a roster, under the group's lock.</summary>
    private sealed class Working
    {
        internal Working(GroupRoster roster)
        {
            ChainId = roster.SenderChainId;
            Members = [.. roster.Members];
            Holders = [.. roster.Members.Where(roster.HoldsKey)];
        }

        internal uint? ChainId { get; set; }

        internal HashSet<ProtocolAddress> Members { get; }

        internal HashSet<ProtocolAddress> Holders { get; }
    }
}
