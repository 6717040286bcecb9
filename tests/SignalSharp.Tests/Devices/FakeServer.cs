using SignalSharp;
using SignalSharp.Devices;
using Xunit;

namespace SignalSharp.Tests.Devices;

/// <summary>
/// A server as the multi-device sender sees it: accounts with device lists and registration ids, pre-key bundles,
/// one mailbox per device; it refuses a send whose device list is wrong with the answer a real server gives.
/// </summary>
internal sealed class FakeServer
{
    private readonly Dictionary<string, IdentityKeyPair> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<ProtocolAddress, FakeDevice> _devices = [];

    /// <summary>Every answer the server gave, in order (user, answer).</summary>
    public List<(string User, DeliveryAnswer Answer)> Answers { get; } = [];

    /// <summary>Every bundle request (user, device ids).</summary>
    public List<(string User, int[] DeviceIds)> Fetches { get; } = [];

    public FakeDevice this[string user, int deviceId] => _devices[new ProtocolAddress(user, deviceId)];

    /// <summary>Registers a device (all devices of a user share the user's identity key, as in Signal).</summary>
    public FakeDevice AddDevice(string user, int deviceId)
    {
        if (!_identities.TryGetValue(user, out var identity))
        {
            identity = KeyHelper.GenerateIdentityKeyPair();
            _identities.Add(user, identity);
        }

        var device = new FakeDevice(new ProtocolAddress(user, deviceId), identity, this);
        _devices[device.Address] = device;
        return device;
    }

    /// <summary>The device is reinstalled: new store, new registration id, same account identity.</summary>
    public FakeDevice Reinstall(string user, int deviceId) => AddDevice(user, deviceId);

    public void RemoveDevice(string user, int deviceId) => _devices.Remove(new ProtocolAddress(user, deviceId));

    public IDeviceTransport TransportFor(ProtocolAddress sender) => new Transport(this, sender);

    private IReadOnlyList<PreKeyBundle> Fetch(string user, IReadOnlyList<int> deviceIds)
    {
        Fetches.Add((user, deviceIds.ToArray()));
        var bundles = new List<PreKeyBundle>();
        foreach (int id in deviceIds)
        {
            if (_devices.TryGetValue(new ProtocolAddress(user, id), out var device))
            {
                bundles.Add(device.NewBundle());
            }
        }

        return bundles;
    }

    private DeliveryAnswer Send(ProtocolAddress sender, string user, IReadOnlyList<OutgoingDeviceMessage> messages)
    {
        var expected = _devices.Values.Where(d => d.Address.Name == user && !d.Address.Equals(sender)).ToDictionary(d => d.Address.DeviceId);
        var given = messages.ToDictionary(m => m.Destination.DeviceId);
        var missing = expected.Keys.Where(id => !given.ContainsKey(id)).ToList();
        var extra = given.Keys.Where(id => !expected.ContainsKey(id)).ToList();
        DeliveryAnswer answer;
        if (missing.Count > 0 || extra.Count > 0)
        {
            answer = DeliveryAnswer.Mismatched(missing, extra);
        }
        else if (given.Values.Where(m => m.RegistrationId != expected[m.Destination.DeviceId].RegistrationId).Select(m => m.Destination.DeviceId).ToList() is { Count: > 0 } stale)
        {
            answer = DeliveryAnswer.StaleDevices(stale);
        }
        else
        {
            foreach (var message in messages)
            {
                Assert.Equal(user, message.Destination.Name);
                expected[message.Destination.DeviceId].Mailbox.Add(new IncomingDeviceMessage(sender, message.Type, message.Body));
            }

            answer = DeliveryAnswer.Accepted;
        }

        Answers.Add((user, answer));
        return answer;
    }

    private sealed class Transport(FakeServer server, ProtocolAddress sender) : IDeviceTransport
    {
        public ValueTask<IReadOnlyList<PreKeyBundle>> FetchPreKeyBundlesAsync(string name, IReadOnlyList<int> deviceIds, CancellationToken cancellationToken)
            => ValueTask.FromResult(server.Fetch(name, deviceIds));

        public ValueTask<DeliveryAnswer> SendAsync(string name, IReadOnlyList<OutgoingDeviceMessage> messages, CancellationToken cancellationToken)
            => ValueTask.FromResult(server.Send(sender, name, messages));
    }
}

/// <summary>One registered device: its stores, published keys and mailbox.</summary>
internal sealed class FakeDevice
{
    private readonly IdentityKeyPair _identity;
    private readonly SignedPreKeyRecord _signed;
    private readonly KyberPreKeyRecord _kyber;
    private uint _nextPreKeyId = 100;

    public FakeDevice(ProtocolAddress address, IdentityKeyPair identity, FakeServer server)
    {
        Address = address;
        _identity = identity;
        RegistrationId = KeyHelper.GenerateRegistrationId();
        Store = new InMemorySignalProtocolStore(identity, RegistrationId);
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _signed = KeyHelper.GenerateSignedPreKey(identity, 1, now);
        _kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, now);
        Store.StoreSignedPreKeyAsync(1, _signed).AsTask().GetAwaiter().GetResult();
        Store.StoreKyberPreKeyAsync(1, _kyber).AsTask().GetAwaiter().GetResult();
        Sender = new MultiDeviceSender(Store, DeviceLists, address, server.TransportFor(address));
        Receiver = new BatchReceiver(Store, address);
    }

    public ProtocolAddress Address { get; }

    public uint RegistrationId { get; }

    public InMemorySignalProtocolStore Store { get; }

    public InMemoryDeviceListStore DeviceLists { get; } = new();

    public MultiDeviceSender Sender { get; }

    public BatchReceiver Receiver { get; }

    public List<IncomingDeviceMessage> Mailbox { get; } = [];

    /// <summary>A bundle with a fresh one-time pre-key (the server hands each one out once).</summary>
    public PreKeyBundle NewBundle()
    {
        uint id = _nextPreKeyId++;
        using var oneTime = KeyHelper.GeneratePreKeys(id, 1)[0];
        Store.StorePreKeyAsync(id, oneTime).AsTask().GetAwaiter().GetResult();
        return new PreKeyBundle(RegistrationId, Address.DeviceId, id, oneTime.PublicKey, 1, _signed.PublicKey, _signed.Signature,
            _identity.IdentityKey, 1, _kyber.PublicKey, _kyber.Signature);
    }

    /// <summary>Drains the mailbox through the batch receiver and returns the plaintexts as strings (failures as "!kind").</summary>
    public async Task<List<string>> DrainAsync()
    {
        var results = await Receiver.ReceiveAsync(Mailbox.ToList());
        Mailbox.Clear();
        return results.Select(r => r.Status == ReceiveStatus.Decrypted
            ? System.Text.Encoding.UTF8.GetString(r.Plaintext.Span)
            : r.Status == ReceiveStatus.Failed ? "!" + r.Error : "!" + r.Status).ToList();
    }
}
