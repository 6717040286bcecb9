using System.Text;
using Xunit;

namespace SignalSharp.Groups.Tests;

/// <summary>The example of docs/groups.md, step for step, with assertions in place of the console output.</summary>
public class DocsExampleTests
{
    [Fact]
    public async Task GroupsDocExampleWorksAsDescribed()
    {
        var alice = new ProtocolAddress("alice", 1);
        var bob = new ProtocolAddress("bob", 1);
        var carol = new ProtocolAddress("carol", 1);

        var aliceCipher = new GroupCipher(new InMemorySenderKeyStore());
        var aliceRosters = new InMemoryGroupRosterStore();
        var receivers = new Dictionary<ProtocolAddress, GroupCipher>
        {
            [bob] = new GroupCipher(new InMemorySenderKeyStore()),
            [carol] = new GroupCipher(new InMemorySenderKeyStore()),
        };

        DistributionMessageSender send = (member, skdm, ct) => receivers[member].ProcessDistributionMessageAsync(alice, skdm, ct);

        var group = await GroupSession.OpenAsync(aliceCipher, aliceRosters, alice, "family", send);
        await group.AddMembersAsync(new[] { bob, carol });
        Assert.Equal(group.DistributionId, (await aliceRosters.LoadGroupRosterAsync("family"))!.DistributionId);

        SenderKeyMessage hello = await group.EncryptAsync(Encoding.UTF8.GetBytes("hello group"));
        byte[] wire = hello.Serialize();
        Assert.Equal("hello group", Encoding.UTF8.GetString(await receivers[bob].DecryptAsync(alice, wire)));
        Assert.Equal("hello group", Encoding.UTF8.GetString(await receivers[carol].DecryptAsync(alice, wire)));

        await group.RemoveMembersAsync(new[] { carol });
        byte[] secret = (await group.EncryptAsync(Encoding.UTF8.GetBytes("carol has left"))).Serialize();
        Assert.Equal("carol has left", Encoding.UTF8.GetString(await receivers[bob].DecryptAsync(alice, secret)));
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await receivers[carol].DecryptAsync(alice, secret));
    }
}
