using SignalSharp;
using SignalSharp.Devices;
using Xunit;

namespace SignalSharp.Tests.Docs;

/// <summary>docs/devices.md's complete example, kept compiling and true.</summary>
public class DevicesDocExampleTests
{
    [Fact]
    public async Task DevicesDocExampleReachesEveryDeviceAndDrainsAMailbox()
    {
        // docs/devices.md, "A complete example":
        var server = new ToyServer();
        var alicePhone = server.Register("alice", 1);
        var aliceLaptop = server.Register("alice", 2);
        var bobPhone = server.Register("bob", 1);
        var bobTablet = server.Register("bob", 2);

        var sender = new MultiDeviceSender(alicePhone.Store, new InMemoryDeviceListStore(), alicePhone.Address, server.TransportFor(alicePhone.Address));
        MultiDeviceSendResult sent = await sender.SendAsync("bob", ContentPadding.Pad("hello, all of you"u8));
        // sent.Messages: bob.1, bob.2 and the sync copy for alice.2, each with its registration id.

        var received = new List<string>();
        foreach (var device in new[] { bobPhone, bobTablet, aliceLaptop })
        {
            var results = await new BatchReceiver(device.Store, device.Address).ReceiveAsync(device.Mailbox);
            foreach (var result in results)
            {
                if (result.Status == ReceiveStatus.Decrypted)
                {
                    byte[] content = ContentPadding.Unpad(result.Plaintext.Span);
                    received.Add($"{device.Address}: {System.Text.Encoding.UTF8.GetString(content)}");
                }

                // Record the outcome durably first; then, if result.MayAcknowledge, acknowledge it to the server.
            }
        }

        Assert.Equal(["bob.1", "bob.2", "alice.2"], sent.Messages.Select(m => m.Destination.ToString()));
        Assert.Equal(["bob.1: hello, all of you", "bob.2: hello, all of you", "alice.2: hello, all of you"], received);
    }

    // docs/devices.md, the toy server of the example:
    /// <summary>Devices with their published keys and mailboxes; answers sends the way a real server must.</summary>
    private sealed class ToyServer
    {
        private readonly Dictionary<string, IdentityKeyPairHolder> _users = [];
        private readonly Dictionary<ProtocolAddress, ToyDevice> _devices = [];

        public ToyDevice Register(string user, int deviceId)
        {
            // All devices of a user share the user's identity key (linking copies it to the new device).
            if (!_users.TryGetValue(user, out var holder))
            {
                _users[user] = holder = new IdentityKeyPairHolder(KeyHelper.GenerateIdentityKeyPair());
            }

            var device = new ToyDevice(new ProtocolAddress(user, deviceId), holder.Identity);
            _devices[device.Address] = device;
            return device;
        }

        public IDeviceTransport TransportFor(ProtocolAddress sender) => new Transport(this, sender);

        private sealed class Transport(ToyServer server, ProtocolAddress sender) : IDeviceTransport
        {
            public ValueTask<IReadOnlyList<PreKeyBundle>> FetchPreKeyBundlesAsync(string name, IReadOnlyList<int> deviceIds, CancellationToken cancellationToken)
            {
                IReadOnlyList<PreKeyBundle> bundles = deviceIds
                    .Where(id => server._devices.ContainsKey(new ProtocolAddress(name, id)))
                    .Select(id => server._devices[new ProtocolAddress(name, id)].Bundle)
                    .ToList();
                return ValueTask.FromResult(bundles);
            }

            public ValueTask<DeliveryAnswer> SendAsync(string name, IReadOnlyList<OutgoingDeviceMessage> messages, CancellationToken cancellationToken)
            {
                // The user's devices, except the sending device itself, must each get exactly one copy.
                var devices = server._devices.Values.Where(d => d.Address.Name == name && !d.Address.Equals(sender)).ToList();
                var missing = devices.Where(d => messages.All(m => m.Destination.DeviceId != d.Address.DeviceId)).Select(d => d.Address.DeviceId);
                var extra = messages.Where(m => devices.All(d => d.Address.DeviceId != m.Destination.DeviceId)).Select(m => m.Destination.DeviceId);
                if (missing.Any() || extra.Any())
                {
                    return ValueTask.FromResult(DeliveryAnswer.Mismatched(missing, extra));
                }

                var stale = messages.Where(m => server._devices[m.Destination].RegistrationId != m.RegistrationId).Select(m => m.Destination.DeviceId);
                if (stale.Any())
                {
                    return ValueTask.FromResult(DeliveryAnswer.StaleDevices(stale));
                }

                foreach (var message in messages)
                {
                    server._devices[message.Destination].Mailbox.Add(new IncomingDeviceMessage(sender, message.Type, message.Body));
                }

                return ValueTask.FromResult(DeliveryAnswer.Accepted);
            }
        }
    }

    private sealed record IdentityKeyPairHolder(SignalSharp.IdentityKeyPair Identity);

    /// <summary>One device: its stores, its published bundle (signed and last-resort Kyber pre-keys), its mailbox.</summary>
    private sealed class ToyDevice
    {
        public ToyDevice(ProtocolAddress address, SignalSharp.IdentityKeyPair identity)
        {
            Address = address;
            RegistrationId = KeyHelper.GenerateRegistrationId();
            Store = new InMemorySignalProtocolStore(identity, RegistrationId);
            ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var signed = KeyHelper.GenerateSignedPreKey(identity, 1, now);
            var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, now);
            Store.StoreSignedPreKeyAsync(1, signed).AsTask().Wait();
            Store.StoreKyberPreKeyAsync(1, kyber).AsTask().Wait();
            Bundle = new PreKeyBundle(RegistrationId, address.DeviceId, null, null, 1, signed.PublicKey, signed.Signature,
                identity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
        }

        public ProtocolAddress Address { get; }

        public uint RegistrationId { get; }

        public InMemorySignalProtocolStore Store { get; }

        public PreKeyBundle Bundle { get; }

        public List<IncomingDeviceMessage> Mailbox { get; } = [];
    }
}
