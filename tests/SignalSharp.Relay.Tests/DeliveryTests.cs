using SignalSharp.Messenger;
using Xunit;

namespace SignalSharp.Relay.Tests;

public sealed class DeliveryTests
{
    private static readonly TimeSpan Patience = RelayHarness.Patience;

    [Fact]
    public async Task A_text_reaches_every_device_of_the_recipient_and_a_sync_copy_reaches_the_senders_other_devices()
    {
        await using var h = await RelayHarness.StartAsync();
        var alicePhone = await h.RegisterAsync("alice");
        var aliceLaptop = await h.LinkAsync(alicePhone);
        var bob1 = await h.RegisterAsync("bob");
        var bob2 = await h.LinkAsync(bob1);

        ulong sent = await alicePhone.SendTextAsync("bob", "hello bob");

        foreach (var bob in new[] { bob1, bob2 })
        {
            await bob.WaitUntilAsync(d => d.Inbox().Any(i => i.Kind == "text" && i.Body == "hello bob" && i.Timestamp == sent), Patience);
        }

        await aliceLaptop.WaitUntilAsync(d => d.Inbox().Any(i => i.Kind == "sync" && i.Conversation == "bob" && i.Body == "hello bob"), Patience);
        Assert.Single(bob1.Inbox(), i => i.Body == "hello bob");
    }

    [Fact]
    public async Task Delivery_and_read_receipts_reach_the_sender()
    {
        await using var h = await RelayHarness.StartAsync();
        var alice = await h.RegisterAsync("alice");
        var bob1 = await h.RegisterAsync("bob");
        var bob2 = await h.LinkAsync(bob1);

        ulong sent = await alice.SendTextAsync("bob", "did you get this?");
        await alice.WaitUntilAsync(d => d.Receipts().Count(r => r.Timestamp == sent && r.Kind == "delivery") == 2, Patience);
        await bob1.SendReadReceiptAsync("alice", [sent]);
        await alice.WaitUntilAsync(d => d.Receipts().Any(r => r.Timestamp == sent && r.Kind == "read" && r.From == "bob" && r.FromDevice == bob1.Address.DeviceId), Patience);
        Assert.Contains(alice.Receipts(), r => r.FromDevice == bob2.Address.DeviceId && r.Kind == "delivery");
    }

    [Fact]
    public async Task An_offline_device_catches_up_in_order_when_it_connects()
    {
        await using var h = await RelayHarness.StartAsync();
        var alice = await h.RegisterAsync("alice");
        var bob = await h.RegisterAsync("bob", connect: false);

        var sent = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            sent.Add($"message {i}");
            await alice.SendTextAsync("bob", sent[^1]);
        }

        Assert.Equal(30, (await h.Relay.Mailboxes.SizeAsync(new DeviceKey("bob", 1))).Count);
        bob.Connect();
        await bob.WaitUntilAsync(d => d.CaughtUp && d.Inbox().Count == 30, Patience);
        Assert.Equal(sent, bob.Inbox().Select(i => i.Body));
        await WaitForEmptyMailboxAsync(h, "bob", 1);
    }

    internal static async Task WaitForEmptyMailboxAsync(RelayHarness h, string name, int deviceId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await h.Relay.Mailboxes.SizeAsync(new DeviceKey(name, deviceId))).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name}.{deviceId}'s mailbox did not empty");
            await Task.Delay(20);
        }
    }
}
