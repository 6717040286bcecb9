using Xunit;

namespace SignalSharp.Relay.Tests;

public sealed class GroupTests
{
    private static readonly TimeSpan Patience = RelayHarness.Patience;

    [Fact]
    public async Task A_group_message_is_encrypted_once_reaches_every_member_device_and_removal_rotates_the_key()
    {
        await using var h = await RelayHarness.StartAsync();
        var alice = await h.RegisterAsync("alice");
        var aliceLaptop = await h.LinkAsync(alice);
        var bob1 = await h.RegisterAsync("bob");
        var bob2 = await h.LinkAsync(bob1);
        var carol = await h.RegisterAsync("carol");

        var group = await alice.CreateGroupAsync("trio", ["bob", "carol"]);
        await carol.WaitUntilAsync(d => d.Group(group) is not null, Patience);
        await bob1.WaitUntilAsync(d => d.Group(group) is not null, Patience);
        await alice.SendGroupTextAsync(group, "hello group");
        foreach (var device in new[] { bob1, bob2, carol, aliceLaptop })
        {
            await device.WaitUntilAsync(d => d.Inbox().Any(i => i.Conversation == "group:" + group && i.Body == "hello group"), Patience);
        }

        await bob1.SendGroupTextAsync(group, "bob says hi");
        await carol.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "bob says hi"), Patience);

        await alice.RemoveGroupMemberAsync(group, "carol");
        await bob1.WaitUntilAsync(d => d.Group(group)!.Members.Count == 2, Patience);
        var (_, afterRemoval) = await alice.SendGroupTextAsync(group, "without carol");
        await bob2.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "without carol"), Patience);
        var (_, bobAfterRemoval) = await bob1.SendGroupTextAsync(group, "bob without carol");
        await alice.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "bob without carol"), Patience);

        // Carol's devices got neither message; even holding the ciphertexts she cannot read them: both senders rotated.
        Assert.DoesNotContain(carol.Inbox(), i => i.Body.Contains("without carol", StringComparison.Ordinal));
        Assert.Equal("NoSenderKeyException", await carol.TryReadGroupCiphertextAsync(alice.Address, afterRemoval));
        Assert.Equal("NoSenderKeyException", await carol.TryReadGroupCiphertextAsync(bob1.Address, bobAfterRemoval));
    }
}
