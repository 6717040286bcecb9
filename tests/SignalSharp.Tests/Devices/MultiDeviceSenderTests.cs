using System.Text;
using SignalSharp;
using SignalSharp.Devices;
using Xunit;

namespace SignalSharp.Tests.Devices;

/// <summary>Sesame sending: one call reaches every device of the recipient and the sender's other devices, and the server's answers repair the device lists.</summary>
public class MultiDeviceSenderTests
{
    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private static (FakeServer Server, FakeDevice Alice1, FakeDevice Alice2, FakeDevice Bob1, FakeDevice Bob2) AliceAndBob()
    {
        var server = new FakeServer();
        var alice1 = server.AddDevice("alice", 1);
        var alice2 = server.AddDevice("alice", 2);
        var bob1 = server.AddDevice("bob", 1);
        var bob2 = server.AddDevice("bob", 2);
        return (server, alice1, alice2, bob1, bob2);
    }

    [Fact]
    public async Task FirstSendLearnsBothDeviceListsFromTheServerAndReachesEveryOtherDevice()
    {
        var (server, alice1, alice2, bob1, bob2) = AliceAndBob();

        var result = await alice1.Sender.SendAsync("bob", Text("hi bob"));

        // Unknown lists: an empty request per user, answered "missing", then bundles, then the real request.
        Assert.Equal(4, result.Attempts);
        Assert.Equal(["bob.1", "bob.2", "alice.2"], result.Messages.Select(m => m.Destination.ToString()));
        Assert.All(result.Messages, m => Assert.Equal(CiphertextMessageType.PreKey, m.Type));
        Assert.Equal(bob2.RegistrationId, result.Messages.Single(m => m.Destination.Equals(bob2.Address)).RegistrationId);
        Assert.Equal(["hi bob"], await bob1.DrainAsync());
        Assert.Equal(["hi bob"], await bob2.DrainAsync());
        Assert.Equal(["hi bob"], await alice2.DrainAsync());
        Assert.Empty(alice1.Mailbox);
        Assert.Equal([1, 2], (await alice1.DeviceLists.LoadDeviceListAsync("bob"))!.Devices.Select(d => d.DeviceId));
        Assert.Equal([2], (await alice1.DeviceLists.LoadDeviceListAsync("alice"))!.Devices.Select(d => d.DeviceId));
    }

    [Fact]
    public async Task SendWithKnownDevicesNeedsOneRequestPerUserAndNoBundles()
    {
        var (server, alice1, alice2, bob1, bob2) = AliceAndBob();
        await alice1.Sender.SendAsync("bob", Text("one"));
        int fetches = server.Fetches.Count;

        var result = await alice1.Sender.SendAsync("bob", Text("two"));

        Assert.Equal(2, result.Attempts);
        Assert.Equal(fetches, server.Fetches.Count);
        Assert.Equal(["one", "two"], await bob1.DrainAsync());
        Assert.Equal(["one", "two"], await bob2.DrainAsync());
        Assert.Equal(["one", "two"], await alice2.DrainAsync());
    }

    [Fact]
    public async Task RepliesFlowBetweenEveryPairOfDevices()
    {
        var (server, alice1, alice2, bob1, bob2) = AliceAndBob();
        await alice1.Sender.SendAsync("bob", Text("from alice.1"));
        await bob1.DrainAsync();
        await bob2.DrainAsync();
        await alice2.DrainAsync();

        await bob2.Sender.SendAsync("alice", Text("from bob.2"));
        await alice2.Sender.SendAsync("bob", Text("from alice.2"));

        // Every device sees both messages except its own: the sender's other devices get sync copies.
        Assert.Equal(["from bob.2", "from alice.2"], await alice1.DrainAsync());
        Assert.Equal(["from bob.2"], await alice2.DrainAsync());
        Assert.Equal(["from bob.2", "from alice.2"], await bob1.DrainAsync());
        Assert.Equal(["from alice.2"], await bob2.DrainAsync());
    }

    [Fact]
    public async Task WithoutOwnDevicesOnlyTheRecipientGetsCopies()
    {
        var (server, alice1, alice2, bob1, _) = AliceAndBob();

        var result = await alice1.Sender.SendAsync("bob", Text("receipt"), includeOwnDevices: false);

        Assert.All(result.Messages, m => Assert.Equal("bob", m.Destination.Name));
        Assert.Equal(["receipt"], await bob1.DrainAsync());
        Assert.Empty(alice2.Mailbox);
        Assert.DoesNotContain(server.Answers, a => a.User == "alice");
    }

    [Fact]
    public async Task SendingToTheOwnNameReachesOnlyTheOtherOwnDevices()
    {
        var (server, alice1, alice2, _, _) = AliceAndBob();
        var alice3 = server.AddDevice("alice", 3);

        var result = await alice1.Sender.SendAsync("alice", Text("note to self"));

        Assert.Equal(["alice.2", "alice.3"], result.Messages.Select(m => m.Destination.ToString()));
        Assert.Equal(["note to self"], await alice2.DrainAsync());
        Assert.Equal(["note to self"], await alice3.DrainAsync());
        Assert.Empty(alice1.Mailbox);
    }

    [Fact]
    public async Task ADeviceLinkedLaterIsMissingThenGetsASessionAndTheMessage()
    {
        var (server, alice1, _, bob1, _) = AliceAndBob();
        await alice1.Sender.SendAsync("bob", Text("before"), includeOwnDevices: false);
        var bob3 = server.AddDevice("bob", 3);

        var result = await alice1.Sender.SendAsync("bob", Text("after"), includeOwnDevices: false);

        Assert.Equal(2, result.Attempts);
        Assert.Equal([3], server.Answers[^2].Answer.Missing);
        Assert.Equal("bob", server.Fetches[^1].User);
        Assert.Equal([3], server.Fetches[^1].DeviceIds);
        Assert.Equal(["after"], await bob3.DrainAsync());
        Assert.Equal(["before", "after"], await bob1.DrainAsync());
    }

    [Fact]
    public async Task ARemovedDeviceIsExtraAndLosesItsSessionAndItsPlaceInTheList()
    {
        var (server, alice1, _, bob1, bob2) = AliceAndBob();
        await alice1.Sender.SendAsync("bob", Text("before"), includeOwnDevices: false);
        server.RemoveDevice("bob", 2);

        var result = await alice1.Sender.SendAsync("bob", Text("after"), includeOwnDevices: false);

        Assert.Equal(2, result.Attempts);
        Assert.Equal([2], server.Answers[^2].Answer.Extra);
        Assert.Equal(["bob.1"], result.Messages.Select(m => m.Destination.ToString()));
        Assert.Null(await alice1.Store.LoadSessionAsync(bob2.Address));
        Assert.Equal([1], (await alice1.DeviceLists.LoadDeviceListAsync("bob"))!.Devices.Select(d => d.DeviceId));
        Assert.Equal(["before", "after"], await bob1.DrainAsync());
    }

    [Fact]
    public async Task AReinstalledDeviceIsStaleAndGetsANewSessionFromAFreshBundle()
    {
        var (server, alice1, _, bob1, bob2) = AliceAndBob();
        await alice1.Sender.SendAsync("bob", Text("before"), includeOwnDevices: false);
        Assert.Equal(["before"], await bob2.DrainAsync());
        var reinstalled = server.Reinstall("bob", 2);

        var result = await alice1.Sender.SendAsync("bob", Text("after"), includeOwnDevices: false);

        Assert.Equal(2, result.Attempts);
        Assert.Equal([2], server.Answers[^2].Answer.Stale);
        Assert.Equal(reinstalled.RegistrationId, result.Messages.Single(m => m.Destination.DeviceId == 2).RegistrationId);
        Assert.Equal(reinstalled.RegistrationId, (await alice1.DeviceLists.LoadDeviceListAsync("bob"))!.Find(2)!.Value.RegistrationId);
        Assert.Equal(1, (await alice1.Store.LoadSessionAsync(bob2.Address))!.ArchivedStateCount);
        Assert.Equal(["after"], await reinstalled.DrainAsync());
        Assert.Equal(["before", "after"], await bob1.DrainAsync());
    }

    [Fact]
    public async Task AMissingDeviceThatAlreadyWroteKeepsItsSessionAndNeedsNoBundle()
    {
        var (server, alice1, _, bob1, _) = AliceAndBob();
        await alice1.Sender.SendAsync("bob", Text("before"), includeOwnDevices: false);
        await bob1.DrainAsync();
        var bob3 = server.AddDevice("bob", 3);
        await bob3.Sender.SendAsync("alice", Text("hello from bob.3"), includeOwnDevices: false);
        Assert.Equal(["hello from bob.3"], await alice1.DrainAsync());
        int fetches = server.Fetches.Count;

        var result = await alice1.Sender.SendAsync("bob", Text("after"), includeOwnDevices: false);

        Assert.Equal(2, result.Attempts);
        Assert.Equal(fetches, server.Fetches.Count);
        Assert.Equal(CiphertextMessageType.Whisper, result.Messages.Single(m => m.Destination.DeviceId == 3).Type);
        Assert.Equal(["after"], await bob3.DrainAsync());
    }

    [Fact]
    public async Task MissingExtraAndStaleTogetherAreRepairedInOneSend()
    {
        var (server, alice1, _, bob1, _) = AliceAndBob();
        await alice1.Sender.SendAsync("bob", Text("before"), includeOwnDevices: false);
        server.RemoveDevice("bob", 2);
        var bob3 = server.AddDevice("bob", 3);
        var reinstalled = server.Reinstall("bob", 1);

        var result = await alice1.Sender.SendAsync("bob", Text("after"), includeOwnDevices: false);

        // 409 (missing 3, extra 2) first, then 410 (stale 1), then accepted.
        Assert.Equal(3, result.Attempts);
        Assert.Equal(["bob.1", "bob.3"], result.Messages.Select(m => m.Destination.ToString()));
        Assert.Equal(["after"], await reinstalled.DrainAsync());
        Assert.Equal(["after"], await bob3.DrainAsync());
    }

    [Fact]
    public async Task ADeviceTheServerHasNoBundleForLeavesTheList()
    {
        var (_, alice1, _, _, _) = AliceAndBob();
        var transport = new ScriptedTransport((_, _) => DeliveryAnswer.Accepted, (_, _) => []);
        await alice1.DeviceLists.StoreDeviceListAsync("bob", new DeviceList([new DeviceEntry(1, 1), new DeviceEntry(2, 2)]));
        var sender = new MultiDeviceSender(alice1.Store, alice1.DeviceLists, alice1.Address, transport);

        var result = await sender.SendAsync("bob", Text("x"), includeOwnDevices: false);

        Assert.Empty(result.Messages);
        Assert.Equal(0, (await alice1.DeviceLists.LoadDeviceListAsync("bob"))!.Count);
    }

    [Fact]
    public async Task AServerThatNeverAgreesEndsInATypedErrorAfterTheBoundedAttempts()
    {
        var (_, alice1, _, _, _) = AliceAndBob();
        int sends = 0;
        var transport = new ScriptedTransport(
            (_, _) =>
            {
                sends++;
                return DeliveryAnswer.Mismatched([9], null);
            },
            (_, _) => []);
        var sender = new MultiDeviceSender(alice1.Store, alice1.DeviceLists, alice1.Address, transport, maxAttempts: 3);

        var error = await Assert.ThrowsAsync<DeviceListRepairException>(async () => await sender.SendAsync("bob", Text("x")));

        Assert.Equal("bob", error.UserName);
        Assert.Equal(3, error.Attempts);
        Assert.Equal([9], error.LastAnswer.Missing);
        Assert.Equal(3, sends);
    }

    [Fact]
    public async Task AChangedIdentityInAFetchedBundleIsUntrustedAndNothingIsSent()
    {
        var (server, alice1, _, bob1, _) = AliceAndBob();
        await alice1.Sender.SendAsync("bob", Text("before"), includeOwnDevices: false);
        var impostor = new FakeServer().AddDevice("bob", 3);
        int sends = 0;
        var transport = new ScriptedTransport(
            (_, messages) => ++sends == 1 ? DeliveryAnswer.Mismatched([3], null) : DeliveryAnswer.Accepted,
            (_, ids) => [impostor.NewBundle()]);
        var sender = new MultiDeviceSender(alice1.Store, alice1.DeviceLists, alice1.Address, transport);

        await Assert.ThrowsAsync<UntrustedIdentityException>(async () => await sender.SendAsync("bob", Text("x"), includeOwnDevices: false));

        Assert.Equal(1, sends);
        Assert.False((await alice1.DeviceLists.LoadDeviceListAsync("bob"))!.Contains(3));
    }

    [Fact]
    public async Task ServerAnswersNamingTheSendingDeviceItselfAreIgnored()
    {
        var (server, alice1, alice2, _, _) = AliceAndBob();
        await alice1.Sender.SendAsync("alice", Text("sync"));

        await alice1.Sender.ApplyAnswerAsync("alice", new DeliveryAnswer([1], [1], [1]));

        Assert.Null(await alice1.Store.LoadSessionAsync(alice1.Address));
        Assert.Equal([2], (await alice1.DeviceLists.LoadDeviceListAsync("alice"))!.Devices.Select(d => d.DeviceId));
        Assert.DoesNotContain(server.Fetches, f => f.User == "alice" && f.DeviceIds.Contains(1));
    }

    [Fact]
    public void DeliveryAnswersRejectDeviceIdsOutOfRangeAndNormalizeTheirLists()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryAnswer.Mismatched([0], null));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryAnswer.StaleDevices([128]));
        var answer = new DeliveryAnswer([3, 1, 3], null, null);
        Assert.Equal([1, 3], answer.Missing);
        Assert.False(answer.IsAccepted);
        Assert.True(DeliveryAnswer.Accepted.IsAccepted);
    }

    [Fact]
    public void DeviceListsKeepOneEntryPerDeviceInOrder()
    {
        var list = new DeviceList([new DeviceEntry(3, 30), new DeviceEntry(1, 10)]);
        Assert.Equal([1, 3], list.Devices.Select(d => d.DeviceId));
        Assert.Equal(31u, list.With(new DeviceEntry(3, 31)).Find(3)!.Value.RegistrationId);
        Assert.Same(list, list.Without(2));
        Assert.Equal([3], list.Without(1).Devices.Select(d => d.DeviceId));
        Assert.Throws<ArgumentException>(() => new DeviceList([new DeviceEntry(1, 1), new DeviceEntry(1, 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceEntry(0, 1));
    }

    private sealed class ScriptedTransport(
        Func<string, IReadOnlyList<OutgoingDeviceMessage>, DeliveryAnswer> send,
        Func<string, IReadOnlyList<int>, IReadOnlyList<PreKeyBundle>> fetch) : IDeviceTransport
    {
        public ValueTask<IReadOnlyList<PreKeyBundle>> FetchPreKeyBundlesAsync(string name, IReadOnlyList<int> deviceIds, CancellationToken cancellationToken)
            => ValueTask.FromResult(fetch(name, deviceIds));

        public ValueTask<DeliveryAnswer> SendAsync(string name, IReadOnlyList<OutgoingDeviceMessage> messages, CancellationToken cancellationToken)
            => ValueTask.FromResult(send(name, messages));
    }
}
