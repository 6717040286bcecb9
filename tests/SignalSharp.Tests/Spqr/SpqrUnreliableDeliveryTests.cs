using SignalSharp.Spqr;
using Xunit;

namespace SignalSharp.Tests.Spqr;

/// <summary>
/// Messages sent at irregular rates, delivered out of order, some lost and some repeated: every delivered
/// message yields the sender's key and epochs keep advancing because the erasure code tolerates loss.
/// </summary>
public class SpqrUnreliableDeliveryTests
{
    [Theory]
    [InlineData(40, 0.0)]
    [InlineData(41, 0.15)]
    [InlineData(42, 0.3)]
    public void KeysMatchForEveryDeliveredMessage(int seed, double dropRate)
    {
        var peers = new SpqrPeers(seed);
        var random = new Random(seed);
        var toBob = new List<SpqrSendResult>();
        var toAlice = new List<SpqrSendResult>();
        int delivered = 0, reordered = 0, duplicates = 0;
        for (int step = 0; step < 2_400; step++)
        {
            switch (random.Next(4))
            {
                case 0:
                    var fromAlice = peers.Alice.Send(peers.Random);
                    peers.Alice = fromAlice.NewState;
                    toBob.Add(fromAlice);
                    break;
                case 1:
                    var fromBob = peers.Bob.Send(peers.Random);
                    peers.Bob = fromBob.NewState;
                    toAlice.Add(fromBob);
                    break;
                case 2:
                    peers.Bob = Deliver(toBob, peers.Bob);
                    break;
                default:
                    peers.Alice = Deliver(toAlice, peers.Alice);
                    break;
            }
        }

        Assert.True(peers.Alice.CurrentEpoch >= 4, $"Alice only reached epoch {peers.Alice.CurrentEpoch}");
        Assert.True(peers.Bob.CurrentEpoch >= 4, $"Bob only reached epoch {peers.Bob.CurrentEpoch}");
        Assert.True(delivered > 500);
        Assert.True(reordered > 50);
        Assert.True(duplicates > 10);

        SpqrState Deliver(List<SpqrSendResult> queue, SpqrState receiver)
        {
            if (queue.Count == 0)
            {
                return receiver;
            }

            int pick = random.Next(Math.Min(4, queue.Count));
            var message = queue[pick];
            queue.RemoveAt(pick);
            if (random.NextDouble() < dropRate)
            {
                return receiver;
            }

            reordered += pick == 0 ? 0 : 1;
            delivered++;
            var result = receiver.Receive(message.Message);
            Assert.Equal(message.Key, result.Key);
            if (random.Next(20) == 0)
            {
                duplicates++;
                Assert.Throws<DuplicateMessageException>(() => result.NewState.Receive(message.Message));
            }

            return result.NewState;
        }
    }

    [Fact]
    public void MessagesDelayedAcrossEpochsDecryptUntilTheirEpochIsDropped()
    {
        var peers = new SpqrPeers(43);
        var early = peers.Bob.Send(peers.Random);
        peers.Bob = early.NewState;
        var midway = new List<(long Epoch, SpqrSendResult Message)>();
        while (peers.Alice.CurrentEpoch < 8)
        {
            peers.Round();
            if (midway.All(m => m.Epoch != peers.Bob.CurrentEpoch))
            {
                var held = peers.Bob.Send(peers.Random);
                peers.Bob = held.NewState;
                midway.Add((peers.Bob.CurrentEpoch, held));
            }

            if (peers.Alice.CurrentEpoch == 4 && peers.Alice.Chain.CurrentEpoch == 3)
            {
                // Chain epochs 0..3 are all still held: a message keyed from chain epoch 0 decrypts.
                Assert.Equal(early.Key, peers.Alice.Receive(early.Message).Key);
            }
        }

        // Chain epochs 3..7 are held now: Bob's messages of epochs 1 and 3 (chains 0 and 2) are too old, his
        // epoch-4 one (chain 3) is not.
        Assert.Equal(7UL, peers.Alice.Chain.CurrentEpoch);
        Assert.Throws<InvalidMessageException>(() => peers.Alice.Receive(early.Message));
        Assert.Throws<InvalidMessageException>(() => peers.Alice.Receive(midway.Single(m => m.Epoch == 3).Message.Message));
        var fromEpoch4 = midway.Single(m => m.Epoch == 4).Message;
        Assert.Equal(fromEpoch4.Key, peers.Alice.Receive(fromEpoch4.Message).Key);
    }
}
