using SignalSharp.Messenger;
using Xunit;

namespace SignalSharp.Relay.Tests;

public sealed class DeviceRepairTests
{
    private static readonly TimeSpan Patience = RelayHarness.Patience;

    [Fact]
    public async Task A_device_linked_later_is_found_from_the_relays_409_and_receives_the_next_message()
    {
        await using var h = await RelayHarness.StartAsync();
        var alice = await h.RegisterAsync("alice");
        var bob1 = await h.RegisterAsync("bob");
        await alice.SendTextAsync("bob", "before");
        await bob1.WaitUntilAsync(d => d.Inbox().Count == 1, Patience);

        var bob2 = await h.LinkAsync(bob1);
        await alice.SendTextAsync("bob", "after");

        await bob2.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "after"), Patience);
        await bob1.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "after"), Patience);
        Assert.DoesNotContain(bob2.Inbox(), i => i.Body == "before");
    }

    [Fact]
    public async Task A_removed_device_is_dropped_after_the_relays_409_and_the_rest_still_receive()
    {
        await using var h = await RelayHarness.StartAsync();
        var alice = await h.RegisterAsync("alice");
        var bob1 = await h.RegisterAsync("bob");
        var bob2 = await h.LinkAsync(bob1);
        await alice.SendTextAsync("bob", "to both");
        await bob2.WaitUntilAsync(d => d.Inbox().Count == 1, Patience);

        await bob1.Relay.RemoveDeviceAsync(bob2.Address.DeviceId, CancellationToken.None);
        await alice.SendTextAsync("bob", "to one");

        await bob1.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "to one"), Patience);
        Assert.Equal(0, (await h.Relay.Mailboxes.SizeAsync(new DeviceKey("bob", bob2.Address.DeviceId))).Count);
        var account = await h.Relay.Accounts.GetAsync("bob");
        Assert.Equal([1], account!.Devices.Select(d => d.DeviceId));
    }

    [Fact]
    public async Task A_reinstalled_device_is_repaired_after_the_relays_410_and_reads_the_next_message()
    {
        await using var h = await RelayHarness.StartAsync();
        var alice = await h.RegisterAsync("alice");
        var bob1 = await h.RegisterAsync("bob");
        var bob2 = await h.LinkAsync(bob1);
        await alice.SendTextAsync("bob", "old install");
        await bob2.WaitUntilAsync(d => d.Inbox().Count == 1, Patience);

        h.Forget(bob2);
        var reinstalled = h.Track(await MessengerDevice.ReinstallAsync(bob2, Path.Combine(h.Root, "bob2-reinstalled")));
        Assert.Equal(bob2.Address, reinstalled.Address);
        await alice.SendTextAsync("bob", "new install");

        await reinstalled.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "new install"), Patience);
        await bob1.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "new install"), Patience);
    }
}
