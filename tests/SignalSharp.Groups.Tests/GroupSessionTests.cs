using System.Text;
using Xunit;

namespace SignalSharp.Groups.Tests;

public class GroupSessionTests
{
    private static readonly Guid Group = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    private sealed class World
    {
        private World(Device sender, Device[] members, DirectDelivery delivery, GroupSession session)
        {
            Sender = sender;
            Members = members;
            Delivery = delivery;
            Session = session;
        }

        public Device Sender { get; }

        public Device[] Members { get; }

        public DirectDelivery Delivery { get; }

        public GroupSession Session { get; }

        public static async Task<World> CreateAsync(int members)
        {
            var sender = new Device("alice");
            var devices = Enumerable.Range(0, members).Select(i => new Device($"member{i}")).ToArray();
            var delivery = new DirectDelivery(sender.Address, devices);
            var session = await sender.OpenGroupAsync(Group, devices.Select(m => m.Address), delivery.Send);
            return new World(sender, devices, delivery, session);
        }
    }

    [Fact]
    public async Task FirstMessageDistributesTheKeyToEveryMemberOnce()
    {
        var w = await World.CreateAsync(3);
        var first = await w.Session.EncryptAsync(Utf8("hello"));
        var second = await w.Session.EncryptAsync(Utf8("again"));
        Assert.Equal(w.Members.Select(m => m.Address).Order(AddressOrder.Instance), w.Delivery.Deliveries.Order(AddressOrder.Instance));
        foreach (var member in w.Members)
        {
            Assert.Equal("hello", Text(await member.DecryptAsync(w.Sender, first)));
            Assert.Equal("again", Text(await member.DecryptAsync(w.Sender, second)));
        }
    }

    [Fact]
    public async Task RemovedMemberCannotDecryptTheNextMessageWhileTheOthersCan()
    {
        var w = await World.CreateAsync(3);
        var before = await w.Session.EncryptAsync(Utf8("before"));
        var removed = w.Members[1];
        await w.Session.RemoveMembersAsync(new[] { removed.Address });
        Assert.DoesNotContain(removed.Address, w.Session.Members);

        var after = await w.Session.EncryptAsync(Utf8("after"));
        Assert.NotEqual(before.ChainId, after.ChainId);
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await removed.DecryptAsync(w.Sender, after));
        foreach (var member in w.Members.Where(m => m != removed))
        {
            Assert.Equal("after", Text(await member.DecryptAsync(w.Sender, after)));

            // A message from before the rotation, delivered late, still decrypts for members.
            Assert.Equal("before", Text(await member.DecryptAsync(w.Sender, before)));
        }

        // The removed member was not sent the new key.
        Assert.Equal(3 + 2, w.Delivery.Deliveries.Count);
        Assert.Equal(1, w.Delivery.Deliveries.Count(a => a.Equals(removed.Address)));
    }

    [Fact]
    public async Task RemovingANonMemberDoesNotRotate()
    {
        var w = await World.CreateAsync(2);
        var before = await w.Session.EncryptAsync(Utf8("x"));
        await w.Session.RemoveMembersAsync(new[] { new ProtocolAddress("stranger", 1) });
        var after = await w.Session.EncryptAsync(Utf8("y"));
        Assert.Equal(before.ChainId, after.ChainId);
        Assert.Equal(2, w.Delivery.Deliveries.Count);
    }

    [Fact]
    public async Task AddedMemberDecryptsOnlyMessagesSentAfterJoining()
    {
        var w = await World.CreateAsync(1);
        var early = await w.Session.EncryptAsync(Utf8("early"));
        var newcomer = new Device("newcomer");
        var delivery = new DirectDelivery(w.Sender.Address, w.Members.Append(newcomer).ToArray());
        var session = await GroupSession.OpenAsync(w.Sender.Cipher, w.Sender.Rosters, w.Sender.Address, w.Session.GroupId, delivery.Send);
        await session.AddMembersAsync(new[] { newcomer.Address });
        var late = await session.EncryptAsync(Utf8("late"));
        Assert.Equal("late", Text(await newcomer.DecryptAsync(w.Sender, late)));
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await newcomer.DecryptAsync(w.Sender, early));
        Assert.Equal("late", Text(await w.Members[0].DecryptAsync(w.Sender, late)));
    }

    [Fact]
    public async Task SetMembersRotatesOnlyWhenSomeoneLeaves()
    {
        var w = await World.CreateAsync(2);
        var m0 = await w.Session.EncryptAsync(Utf8("0"));
        var newcomer = new Device("newcomer");
        var delivery = new DirectDelivery(w.Sender.Address, w.Members.Append(newcomer).ToArray());
        var session = await GroupSession.OpenAsync(w.Sender.Cipher, w.Sender.Rosters, w.Sender.Address, w.Session.GroupId, delivery.Send);

        await session.SetMembersAsync(w.Members.Select(m => m.Address).Append(newcomer.Address).Append(w.Sender.Address));
        var m1 = await session.EncryptAsync(Utf8("1"));
        Assert.Equal(m0.ChainId, m1.ChainId);
        Assert.Equal(3, session.Members.Count);

        await session.SetMembersAsync(new[] { w.Members[0].Address, newcomer.Address });
        var m2 = await session.EncryptAsync(Utf8("2"));
        Assert.NotEqual(m1.ChainId, m2.ChainId);
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await w.Members[1].DecryptAsync(w.Sender, m2));
        Assert.Equal("2", Text(await newcomer.DecryptAsync(w.Sender, m2)));
        Assert.Equal("2", Text(await w.Members[0].DecryptAsync(w.Sender, m2)));
    }

    [Fact]
    public async Task ExplicitRotationRedistributesToEveryMember()
    {
        var w = await World.CreateAsync(2);
        var m0 = await w.Session.EncryptAsync(Utf8("0"));
        await w.Session.RotateAsync();
        Assert.Equal(4, w.Delivery.Deliveries.Count);
        var m1 = await w.Session.EncryptAsync(Utf8("1"));
        Assert.NotEqual(m0.ChainId, m1.ChainId);
        foreach (var member in w.Members)
        {
            Assert.Equal("1", Text(await member.DecryptAsync(w.Sender, m1)));
        }
    }

    [Fact]
    public async Task AFailedDeliveryPropagatesAndIsRetriedOnTheNextMessage()
    {
        var sender = new Device("alice");
        var good = new Device("good");
        var flaky = new Device("flaky");
        var direct = new DirectDelivery(sender.Address, good, flaky);
        bool fail = true;
        var session = await GroupSession.OpenAsync(sender.Cipher, sender.Rosters, sender.Address, "group", async (to, skdm, ct) =>
        {
            if (fail && to.Equals(flaky.Address))
            {
                throw new IOException("network down");
            }

            await direct.Send(to, skdm, ct);
        });

        await Assert.ThrowsAsync<IOException>(async () => await session.AddMembersAsync(new[] { good.Address, flaky.Address }));
        fail = false;
        var message = await session.EncryptAsync(Utf8("delivered"));
        Assert.Equal("delivered", Text(await flaky.DecryptAsync(sender, message)));
        Assert.Equal("delivered", Text(await good.DecryptAsync(sender, message)));
        Assert.Equal(1, direct.Deliveries.Count(a => a.Equals(good.Address)));
    }

    [Fact]
    public async Task ASessionOpenedAgainOverTheSameStoresSendsNothingTwice()
    {
        var w = await World.CreateAsync(2);
        var m0 = await w.Session.EncryptAsync(Utf8("0"));
        await w.Members[0].DecryptAsync(w.Sender, m0);

        // After a restart the roster in the store says who holds the key: nothing is sent again.
        var restarted = await GroupSession.OpenAsync(w.Sender.Cipher, w.Sender.Rosters, w.Sender.Address, w.Session.GroupId, w.Delivery.Send);
        Assert.Equal(w.Session.DistributionId, restarted.DistributionId);
        Assert.Equal(w.Members.Select(m => m.Address).Order(AddressOrder.Instance), restarted.Members.Order(AddressOrder.Instance));
        var m1 = await restarted.EncryptAsync(Utf8("1"));
        Assert.Equal(m0.ChainId, m1.ChainId);
        Assert.Equal(2, w.Delivery.Deliveries.Count);
        Assert.Equal("1", Text(await w.Members[0].DecryptAsync(w.Sender, m1)));
        Assert.Equal("0", Text(await w.Members[1].DecryptAsync(w.Sender, m0)));
    }

    [Fact]
    public async Task ARemovalInterruptedBeforeTheNewChainExistsStillRotatesAfterARestart()
    {
        var w = await World.CreateAsync(2);
        await w.Session.EncryptAsync(Utf8("0"));
        var leaving = w.Members[1];

        // The process dies while the new chain is being written.
        var failing = new FailingWritesStore(w.Sender.Store);
        var crashing = await GroupSession.OpenAsync(new GroupCipher(failing), w.Sender.Rosters, w.Sender.Address, w.Session.GroupId, w.Delivery.Send);
        failing.Fail = true;
        await Assert.ThrowsAsync<IOException>(async () => await crashing.RemoveMembersAsync(new[] { leaving.Address }));

        var restarted = await GroupSession.OpenAsync(w.Sender.Cipher, w.Sender.Rosters, w.Sender.Address, w.Session.GroupId, w.Delivery.Send);
        Assert.Equal(new[] { w.Members[0].Address }, restarted.Members);
        var after = await restarted.EncryptAsync(Utf8("after"));
        Assert.Equal("after", Text(await w.Members[0].DecryptAsync(w.Sender, after)));
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await leaving.DecryptAsync(w.Sender, after));
    }

    [Fact]
    public async Task AChainReplacedBehindTheRosterIsSentToEveryMemberAgain()
    {
        var w = await World.CreateAsync(2);
        var m0 = await w.Session.EncryptAsync(Utf8("0"));

        // As after restoring a backup, which leaves the device's own sending chains out.
        await w.Sender.Cipher.RotateAsync(w.Sender.Address, w.Session.DistributionId);
        var reopened = await GroupSession.OpenAsync(w.Sender.Cipher, w.Sender.Rosters, w.Sender.Address, w.Session.GroupId, w.Delivery.Send);
        var m1 = await reopened.EncryptAsync(Utf8("1"));
        Assert.NotEqual(m0.ChainId, m1.ChainId);
        Assert.Equal(4, w.Delivery.Deliveries.Count);
        foreach (var member in w.Members)
        {
            Assert.Equal("1", Text(await member.DecryptAsync(w.Sender, m1)));
        }
    }

    [Fact]
    public async Task OpeningAStoredGroupWithAnotherDistributionIdIsRefused()
    {
        var w = await World.CreateAsync(1);
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await GroupSession.OpenAsync(w.Sender.Cipher, w.Sender.Rosters, w.Sender.Address, w.Session.GroupId, w.Delivery.Send, Guid.NewGuid()));
    }

    [Fact]
    public async Task ANewGroupGetsARandomVersion4DistributionIdThatIsStored()
    {
        var sender = new Device("alice");
        var session = await GroupSession.OpenAsync(sender.Cipher, sender.Rosters, sender.Address, "new group", (_, _, _) => ValueTask.CompletedTask);
        Assert.Equal(4, session.DistributionId.Version);
        var stored = await sender.Rosters.LoadGroupRosterAsync("new group");
        Assert.Equal(session.DistributionId, stored!.DistributionId);
        Assert.Empty(stored.Members);
        Assert.Null(stored.SenderChainId);
    }

    [Fact]
    public async Task ARosterRoundTripsThroughItsSerializedForm()
    {
        var w = await World.CreateAsync(3);
        await w.Session.EncryptAsync(Utf8("x"));
        var roster = (await w.Sender.Rosters.LoadGroupRosterAsync(w.Session.GroupId))!;
        var copy = GroupRoster.Deserialize(roster.Serialize());
        Assert.Equal(roster.DistributionId, copy.DistributionId);
        Assert.NotNull(copy.SenderChainId);
        Assert.Equal(roster.SenderChainId, copy.SenderChainId);
        Assert.Equal(roster.Members, copy.Members);
        Assert.Equal(3, copy.MembersHoldingKey.Count);
        Assert.Equal(roster.MembersHoldingKey, copy.MembersHoldingKey);
        Assert.Equal(roster.Serialize(), copy.Serialize());
    }

    [Fact]
    public async Task AGroupWithoutOtherMembersCanStillEncrypt()
    {
        var sender = new Device("alice");
        var session = await sender.OpenGroupAsync(Group, new[] { sender.Address }, (_, _, _) => throw new InvalidOperationException("nobody to send to"));
        Assert.Empty(session.Members);
        var message = await session.EncryptAsync(Utf8("alone"));
        Assert.Equal(0u, message.Iteration);
    }

    [Fact]
    public async Task ConcurrentSendsAndMembershipChangesStayConsistent()
    {
        var w = await World.CreateAsync(4);
        var removed = w.Members[3];
        var sends = Enumerable.Range(0, 20).Select(i => Task.Run(async () => await w.Session.EncryptAsync(Utf8($"m{i}")))).ToList();
        var removal = Task.Run(async () => await w.Session.RemoveMembersAsync(new[] { removed.Address }));
        await Task.WhenAll(sends.Cast<Task>().Append(removal));
        var last = await w.Session.EncryptAsync(Utf8("last"));
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await removed.DecryptAsync(w.Sender, last));
        foreach (var member in w.Members.Take(3))
        {
            foreach (var s in sends)
            {
                Assert.StartsWith("m", Text(await member.DecryptAsync(w.Sender, await s)));
            }

            Assert.Equal("last", Text(await member.DecryptAsync(w.Sender, last)));
        }
    }

    private sealed class FailingWritesStore(ISenderKeyStore inner) : ISenderKeyStore
    {
        public bool Fail { get; set; }

        public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
            => inner.LoadSenderKeyAsync(sender, distributionId, cancellationToken);

        public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
            => Fail ? throw new IOException("disk gone") : inner.StoreSenderKeyAsync(sender, distributionId, record, cancellationToken);
    }

    private sealed class AddressOrder : IComparer<ProtocolAddress>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(ProtocolAddress? x, ProtocolAddress? y) => string.CompareOrdinal(x?.ToString(), y?.ToString());
    }
}
