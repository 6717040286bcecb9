using SignalSharp.Groups;

namespace SignalSharp.Groups.Tests;

/// <summary>One simulated device with its own sender-key store and cipher.</summary>
internal sealed class Device
{
    public Device(string name, int deviceId = 1)
    {
        Address = new ProtocolAddress(name, deviceId);
        Store = new InMemorySenderKeyStore();
        Cipher = new GroupCipher(Store);
    }

    public ProtocolAddress Address { get; }

    public InMemorySenderKeyStore Store { get; }

    public GroupCipher Cipher { get; }

    public InMemoryGroupRosterStore Rosters { get; } = new();

    /// <summary>Opens the sending side of a group (group id = the distribution id's text) and adds the members.</summary>
    public async Task<GroupSession> OpenGroupAsync(Guid distributionId, IEnumerable<ProtocolAddress> members, DistributionMessageSender send)
    {
        var session = await GroupSession.OpenAsync(Cipher, Rosters, Address, distributionId.ToString(), send, distributionId);
        await session.AddMembersAsync(members);
        return session;
    }

    public ValueTask<byte[]> DecryptAsync(Device sender, SenderKeyMessage message)
        => Cipher.DecryptAsync(sender.Address, message.Serialize());

    public ValueTask<byte[]> DecryptAsync(Device sender, byte[] message)
        => Cipher.DecryptAsync(sender.Address, message);
}

/// <summary>Hands distribution messages straight to the recipient device (standing in for a 1:1 session).</summary>
internal sealed class DirectDelivery
{
    private readonly Dictionary<ProtocolAddress, Device> _devices = new();
    private readonly ProtocolAddress _sender;

    public DirectDelivery(ProtocolAddress sender, params Device[] devices)
    {
        _sender = sender;
        foreach (var d in devices)
        {
            _devices[d.Address] = d;
        }
    }

    public List<ProtocolAddress> Deliveries { get; } = new();

    public async ValueTask Send(ProtocolAddress recipient, byte[] message, CancellationToken cancellationToken)
    {
        Deliveries.Add(recipient);
        await _devices[recipient].Cipher.ProcessDistributionMessageAsync(_sender, message, cancellationToken);
    }
}
