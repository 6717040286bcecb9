using SignalSharp.Spqr;
using SignalSharp.Spqr.Braid;
using Xunit;

namespace SignalSharp.Tests.Spqr;

/// <summary>Two SpqrStates exchanging one message each way per round (wire facts §6.6 timeline).</summary>
public class SpqrLockstepTests
{
    [Fact]
    public void FirstMessagesHaveTheHeadersSeenFromLibsignal()
    {
        // Wire facts §12: the first PreKey message's field 5 is 01 01 01 01 00 <32> (V1, epoch 1, index 1,
        // Hdr, chunk 0); after Alice's five PreKey messages Bob's first reply is 01 01 01 05 00 <32> (Ct1, chunk 0).
        var peers = new SpqrPeers(12);
        var first = peers.Alice.Send(peers.Random);
        Assert.Equal(37, first.Message.Length);
        Assert.Equal(new byte[] { 1, 1, 1, 1, 0 }, first.Message[..5]);
        Assert.Equal(32, first.Key.Length);
        peers.Bob = peers.Bob.Receive(first.Message).NewState;
        peers.Alice = first.NewState;
        for (int i = 0; i < 4; i++)
        {
            peers.AliceToBob();
        }

        var reply = peers.Bob.Send(peers.Random);
        Assert.Equal(37, reply.Message.Length);
        Assert.Equal(new byte[] { 1, 1, 1, 5, 0 }, reply.Message[..5]);
    }

    [Fact]
    public void FirstEpochFollowsTheObservedTimeline()
    {
        // Wire facts §6.6: Alice Hdr#0..2 while Bob sends None twice then Ct1#0; Alice Ek#0..#28 while Bob
        // Ct1#1..#29; Alice EkCt1Ack#29..#35 while Bob sends None; Bob Ct2#0..#4 while Alice Ct1Ack; then Alice
        // (epoch 2) sends None and Bob starts epoch 2's header.
        var peers = new SpqrPeers(1);
        var alice = new List<SpqrMessage>();
        var bob = new List<SpqrMessage>();
        for (int round = 0; round < 44; round++)
        {
            var (a, b) = peers.Round();
            alice.Add(a);
            bob.Add(b);
        }

        var expectedAlice = Repeat(SpqrMessageType.Hdr, 3).Concat(Repeat(SpqrMessageType.Ek, 29))
            .Concat(Repeat(SpqrMessageType.EkCt1Ack, 7)).Concat(Repeat(SpqrMessageType.Ct1Ack, 4)).Append(SpqrMessageType.None);
        var expectedBob = Repeat(SpqrMessageType.None, 2).Concat(Repeat(SpqrMessageType.Ct1, 30))
            .Concat(Repeat(SpqrMessageType.None, 6)).Concat(Repeat(SpqrMessageType.Ct2, 5)).Append(SpqrMessageType.Hdr);
        Assert.Equal(expectedAlice, alice.Select(m => m.Type));
        Assert.Equal(expectedBob, bob.Select(m => m.Type));
        Assert.Equal(Enumerable.Range(0, 3), alice.Take(3).Select(m => (int)m.Chunk!.Index));
        Assert.Equal(Enumerable.Range(0, 36), alice.Skip(3).Take(36).Select(m => (int)m.Chunk!.Index));
        Assert.Equal(Enumerable.Range(0, 30), bob.Skip(2).Take(30).Select(m => (int)m.Chunk!.Index));
        Assert.Equal(Enumerable.Range(0, 5), bob.Skip(38).Take(5).Select(m => (int)m.Chunk!.Index));
        // Keys: index counts every message of the direction, from 1.
        Assert.Equal(Enumerable.Range(1, 43).Select(i => (uint)i), alice.Take(43).Select(m => m.Index));
        Assert.All(alice.Take(43), m => Assert.Equal(1UL, m.Epoch));
        Assert.Equal(2UL, alice[43].Epoch);
        Assert.Equal(1U, alice[43].Index);
        Assert.Equal(2UL, bob[43].Epoch);
        Assert.Equal(1U, bob[43].Index);
        Assert.Equal(2, peers.Alice.CurrentEpoch);
        Assert.Equal(2, peers.Bob.CurrentEpoch);
    }

    [Fact]
    public void ThreeFullEpochsInLockstepSwapRolesAndKeysAgree()
    {
        var peers = new SpqrPeers(2);
        var aliceRoles = new Dictionary<long, HashSet<bool>>();
        var bobRoles = new Dictionary<long, HashSet<bool>>();
        int rounds = 0;
        while (peers.Alice.CurrentEpoch < 4 || peers.Bob.CurrentEpoch < 4)
        {
            Assert.True(++rounds <= 150, "epochs must advance about every 45 rounds");
            peers.Round();
            Record(aliceRoles, peers.Alice);
            Record(bobRoles, peers.Bob);
        }

        Assert.InRange(rounds, 120, 140);
        // Epoch 1 and 3: Alice publishes keys; epoch 2: Bob does.
        Assert.Equal([true], aliceRoles[1]);
        Assert.Equal([false], aliceRoles[2]);
        Assert.Equal([true], aliceRoles[3]);
        Assert.Equal([false], bobRoles[1]);
        Assert.Equal([true], bobRoles[2]);
        Assert.Equal([false], bobRoles[3]);
        Assert.Equal(3UL, peers.Alice.Chain.CurrentEpoch);
        Assert.Equal(3UL, peers.Bob.Chain.CurrentEpoch);
    }

    [Fact]
    public void StatesSurviveSerializationInEveryBraidState()
    {
        var peers = new SpqrPeers(3);
        var kinds = new HashSet<BraidStateKind>();
        for (int round = 0; round < 95; round++)
        {
            peers.Alice = RoundTrip(peers.Alice);
            peers.Bob = RoundTrip(peers.Bob);
            kinds.Add(peers.Alice.Braid.Kind);
            kinds.Add(peers.Bob.Braid.Kind);
            peers.AliceToBob();
            peers.Alice = RoundTrip(peers.Alice);
            peers.Bob = RoundTrip(peers.Bob);
            kinds.Add(peers.Alice.Braid.Kind);
            kinds.Add(peers.Bob.Braid.Kind);
            peers.BobToAlice();
        }

        // EkReceivedCt1Sampled only occurs when ek completes before ct1 is acknowledged (not in lockstep).
        Assert.Equal(
            Enum.GetValues<BraidStateKind>().Where(k => k != BraidStateKind.EkReceivedCt1Sampled).ToHashSet(),
            kinds);
        Assert.True(peers.Alice.CurrentEpoch >= 3);

        static SpqrState RoundTrip(SpqrState state)
        {
            var bytes = state.Serialize();
            var restored = SpqrState.Deserialize(bytes);
            Assert.Equal(bytes, restored.Serialize());
            Assert.Equal(state.BraidStateName, restored.BraidStateName);
            return restored;
        }
    }

    [Fact]
    public void SendAndReceiveDoNotModifyTheirState()
    {
        var peers = new SpqrPeers(4);
        var before = peers.Alice.Serialize();
        var first = peers.Alice.Send(peers.Random);
        var again = peers.Alice.Send(peers.Random);
        Assert.Equal(before, peers.Alice.Serialize());
        Assert.Equal(first.Message[..5], again.Message[..5]);
        Assert.Equal(first.Key, again.Key);
        var bobBefore = peers.Bob.Serialize();
        var received = peers.Bob.Receive(first.Message);
        Assert.Equal(bobBefore, peers.Bob.Serialize());
        Assert.Equal(first.Key, peers.Bob.Receive(first.Message).Key);
        Assert.NotSame(peers.Bob, received.NewState);
    }

    private static IEnumerable<SpqrMessageType> Repeat(SpqrMessageType type, int count) => Enumerable.Repeat(type, count);

    private static void Record(Dictionary<long, HashSet<bool>> roles, SpqrState state)
    {
        if (!roles.TryGetValue(state.CurrentEpoch, out var set))
        {
            roles[state.CurrentEpoch] = set = [];
        }

        set.Add(SpqrPeers.IsSendEk(state.Braid.Kind));
    }
}
