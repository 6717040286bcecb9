using SignalSharp;
using SignalSharp.Devices;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>The multi-device sender and the batch receiver over a SQLite store, across a restart.</summary>
public sealed class SqliteMultiDeviceTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly byte[] _key = TempDatabase.NewKey();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task TheSenderKeepsItsDeviceListsAcrossARestartAndNeedsNoRepairAfterIt()
    {
        using var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
        var bob = new[] { await BobDeviceAsync(bobIdentity, 1), await BobDeviceAsync(bobIdentity, 2) };
        var transport = new TwoDeviceServer(bob);
        var alice = new ProtocolAddress("alice", 1);
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();

        using (var store = SqliteSignalProtocolStore.Create(_db.Path, _key, aliceIdentity, 42))
        {
            var first = await new MultiDeviceSender(store, store, alice, transport).SendAsync("bob", "one"u8.ToArray(), includeOwnDevices: false);
            Assert.Equal(2, first.Attempts);
        }

        using (var reopened = SqliteSignalProtocolStore.Open(_db.Path, _key))
        {
            var second = await new MultiDeviceSender(reopened, reopened, alice, transport).SendAsync("bob", "two"u8.ToArray(), includeOwnDevices: false);
            Assert.Equal(1, second.Attempts);
            Assert.Equal(2, second.Messages.Count);
        }

        foreach (var device in bob)
        {
            var results = await new BatchReceiver(device.Store, device.Address).ReceiveAsync(transport.Delivered[device.Address.DeviceId]);
            Assert.Equal(["one", "two"], results.Select(r => System.Text.Encoding.UTF8.GetString(r.Plaintext.Span)));
        }
    }

    private static async Task<(ProtocolAddress Address, InMemorySignalProtocolStore Store, PreKeyBundle Bundle)> BobDeviceAsync(IdentityKeyPair identity, int deviceId)
    {
        uint registrationId = KeyHelper.GenerateRegistrationId();
        var store = new InMemorySignalProtocolStore(identity, registrationId);
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 1);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, 1);
        await store.StoreSignedPreKeyAsync(1, signed);
        await store.StoreKyberPreKeyAsync(1, kyber);
        var bundle = new PreKeyBundle(registrationId, deviceId, null, null, 1, signed.PublicKey, signed.Signature, identity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
        return (new ProtocolAddress("bob", deviceId), store, bundle);
    }

    /// <summary>Bob has devices 1 and 2; a send must name exactly those.</summary>
    private sealed class TwoDeviceServer((ProtocolAddress Address, InMemorySignalProtocolStore Store, PreKeyBundle Bundle)[] devices) : IDeviceTransport
    {
        public Dictionary<int, List<IncomingDeviceMessage>> Delivered { get; } = new() { [1] = [], [2] = [] };

        public ValueTask<IReadOnlyList<PreKeyBundle>> FetchPreKeyBundlesAsync(string name, IReadOnlyList<int> deviceIds, CancellationToken cancellationToken)
            => ValueTask.FromResult<IReadOnlyList<PreKeyBundle>>(devices.Where(d => deviceIds.Contains(d.Address.DeviceId)).Select(d => d.Bundle).ToList());

        public ValueTask<DeliveryAnswer> SendAsync(string name, IReadOnlyList<OutgoingDeviceMessage> messages, CancellationToken cancellationToken)
        {
            var ids = messages.Select(m => m.Destination.DeviceId).ToList();
            if (!ids.Order().SequenceEqual([1, 2]))
            {
                return ValueTask.FromResult(DeliveryAnswer.Mismatched(new[] { 1, 2 }.Except(ids), ids.Except([1, 2])));
            }

            foreach (var message in messages)
            {
                Delivered[message.Destination.DeviceId].Add(new IncomingDeviceMessage(new ProtocolAddress("alice", 1), message.Type, message.Body));
            }

            return ValueTask.FromResult(DeliveryAnswer.Accepted);
        }
    }
}
