using Google.Protobuf;
using SignalSharp.Groups.Protos;

namespace SignalSharp.Groups;

/// <summary>
/// What the local device remembers about one group it sends to, persisted in an <see cref="IGroupRosterStore"/> so
/// that it survives a restart: the distribution id, the member devices, and which of them were sent the current
/// sender chain. <see cref="GroupSession"/> reads and writes it; applications only store it (with
/// <see cref="Serialize"/> / <see cref="Deserialize"/> in a custom store) or inspect it. Immutable.
/// </summary>
public sealed class GroupRoster
{
    private readonly ProtocolAddress[] _members;
    private readonly IReadOnlyList<ProtocolAddress> _membersView;
    private readonly HashSet<ProtocolAddress> _holders;

    internal GroupRoster(Guid distributionId, uint? senderChainId, IEnumerable<ProtocolAddress> members, IEnumerable<ProtocolAddress> holders)
    {
        DistributionId = distributionId;
        SenderChainId = senderChainId;
        _members = members.Distinct().OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.DeviceId).ToArray();
        _membersView = Array.AsReadOnly(_members);
        _holders = senderChainId is null ? [] : holders.Where(_members.Contains).ToHashSet();
    }

    /// <summary>The distribution id the local device uses for this group (chosen once, at random, when the group was first opened).</summary>
    public Guid DistributionId { get; }

    /// <summary>
    /// The chain id of the sender chain that <see cref="MembersHoldingKey"/> were sent; null when the next
    /// distribution must start a new chain (a new group, or a rotation that has not completed yet).
    /// </summary>
    public uint? SenderChainId { get; }

    /// <summary>The member devices (not the local device), ordered by name and device id.</summary>
    public IReadOnlyList<ProtocolAddress> Members => _membersView;

    /// <summary>The member devices that were sent the chain <see cref="SenderChainId"/>.</summary>
    public IReadOnlyCollection<ProtocolAddress> MembersHoldingKey => _members.Where(_holders.Contains).ToArray();

    /// <summary>Whether <paramref name="member"/> was sent the current chain.</summary>
    internal bool HoldsKey(ProtocolAddress member) => _holders.Contains(member);

    /// <summary>The local storage form (a SignalSharp-local format; it holds no key material).</summary>
    /// <returns>A new array.</returns>
    public byte[] Serialize()
    {
        var data = new GroupRosterData { DistributionId = ByteString.CopyFrom(SenderKeyMessage.DistributionIdBytes(DistributionId)) };
        if (SenderChainId is { } chainId)
        {
            data.ChainId = chainId;
        }

        foreach (var member in _members)
        {
            data.Members.Add(new GroupMemberData { Name = member.Name, DeviceId = (uint)member.DeviceId, HoldsKey = _holders.Contains(member) });
        }

        return data.ToByteArray();
    }

    /// <summary>Decodes a roster written by <see cref="Serialize"/>.</summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <returns>The roster.</returns>
    /// <exception cref="SignalProtocolException">The bytes are not a valid roster.</exception>
    public static GroupRoster Deserialize(ReadOnlySpan<byte> serialized)
    {
        var data = ProtoParsing.Parse(GroupRosterData.Parser, serialized, (_, e) => new SignalProtocolException("group roster is not valid protobuf", e));

        if (data.DistributionId.Length != 16)
        {
            throw new SignalProtocolException("group roster distribution id is not 16 bytes");
        }

        var members = new List<ProtocolAddress>(data.Members.Count);
        var holders = new List<ProtocolAddress>();
        var seen = new HashSet<ProtocolAddress>();
        foreach (var m in data.Members)
        {
            if (m.Name.Length == 0 || m.DeviceId is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
            {
                throw new SignalProtocolException($"group roster holds an invalid address ({m.Name.Length}-character name, device id {m.DeviceId})");
            }

            var address = new ProtocolAddress(m.Name, (int)m.DeviceId);
            if (!seen.Add(address))
            {
                throw new SignalProtocolException($"group roster lists {address} twice");
            }

            members.Add(address);
            if (m.HoldsKey)
            {
                holders.Add(address);
            }
        }

        if (!data.HasChainId && holders.Count > 0)
        {
            throw new SignalProtocolException("group roster has key holders but no sender chain");
        }

        uint? chainId = data.HasChainId ? data.ChainId : null;
        return new GroupRoster(new Guid(data.DistributionId.Span, bigEndian: true), chainId, members, holders);
    }
}
