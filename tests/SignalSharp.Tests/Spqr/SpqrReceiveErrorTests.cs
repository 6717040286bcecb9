using SignalSharp.Spqr;
using Xunit;

namespace SignalSharp.Tests.Spqr;

/// <summary>Version negotiation (wire facts §5), chain limits (§6.4) and braid checks (§6.6) on receipt.</summary>
public class SpqrReceiveErrorTests
{
    [Fact]
    public void EmptyOrVersionZeroMessagesFailTheMinimumVersion()
    {
        var peers = new SpqrPeers(30);
        var empty = Assert.Throws<InvalidMessageException>(() => peers.Bob.Receive([]));
        Assert.Contains("Minimum version", empty.Message);
        Assert.Throws<InvalidMessageException>(() => peers.Bob.Receive([0x00, 0x01, 0x01, 0x00]));
    }

    [Fact]
    public void NewerVersionsAreIgnoredWithoutAKey()
    {
        var peers = new SpqrPeers(31);
        var result = peers.Bob.Receive([0x02, 0x01, 0x01, 0x00]);
        Assert.Empty(result.Key);
        Assert.Same(peers.Bob, result.NewState);
    }

    [Fact]
    public void AlreadyUsedKeysAreDuplicates()
    {
        var peers = new SpqrPeers(32);
        var messages = Enumerable.Range(0, 3).Select(_ => Send(peers)).ToList();
        var bob = peers.Bob.Receive(messages[2].Message).NewState;
        var old = bob.Receive(messages[0].Message);
        Assert.Equal(messages[0].Key, old.Key);
        Assert.Throws<DuplicateMessageException>(() => old.NewState.Receive(messages[0].Message));
        Assert.Throws<DuplicateMessageException>(() => old.NewState.Receive(messages[2].Message));
        Assert.Equal(messages[1].Key, old.NewState.Receive(messages[1].Message).Key);
    }

    [Fact]
    public void NoteToSelfSessionsReceiveWithoutAJumpLimit()
    {
        // The session passes unlimitedJumps for equal identity keys, as libsignal's self-session chain parameters.
        var peers = new SpqrPeers(33);
        var far = peers.Alice.Receive(NoneFromBob(60_000), unlimitedJumps: true);
        Assert.Equal(32, far.Key.Length);
        Assert.Equal(SpqrChain.MaxStoredKeys, far.NewState.Chain.Epochs[0].Receive.Skipped.Count);
        Assert.Throws<InvalidMessageException>(() => peers.Alice.Receive(NoneFromBob(60_000), unlimitedJumps: false));
    }

    [Fact]
    public void JumpsBeyond25000AreRejected()
    {
        var peers = new SpqrPeers(33);
        Assert.Throws<InvalidMessageException>(() => peers.Alice.Receive(NoneFromBob(25_001)));
        var far = peers.Alice.Receive(NoneFromBob(25_000));
        Assert.Equal(32, far.Key.Length);
        Assert.Equal(SpqrChain.MaxStoredKeys, far.NewState.Chain.Epochs[0].Receive.Skipped.Count);
    }

    [Fact]
    public void KeysMoreThan2000BackAreDiscardedNotDuplicates()
    {
        var peers = new SpqrPeers(34);
        var alice = peers.Alice.Receive(NoneFromBob(2_500)).NewState;
        // Skipping 1..2499 keeps the 2,000 newest keys: 500..2499.
        Assert.Throws<InvalidMessageException>(() => alice.Receive(NoneFromBob(1)));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => alice.Receive(NoneFromBob(499))));
        var kept = alice.Receive(NoneFromBob(500));
        Assert.Throws<DuplicateMessageException>(() => kept.NewState.Receive(NoneFromBob(500)));
        Assert.Throws<DuplicateMessageException>(() => kept.NewState.Receive(NoneFromBob(2500)));
        Assert.Throws<InvalidMessageException>(() => alice.Receive(NoneFromBob(0)));
    }

    [Fact]
    public void MessagesFromAnUnknownEpochAreRejected()
    {
        var peers = new SpqrPeers(35);
        Assert.Throws<InvalidMessageException>(() => peers.Alice.Receive(new SpqrMessage(2, 1, SpqrMessageType.None, null).Serialize()));
        Assert.Throws<InvalidMessageException>(() => peers.Alice.Receive(new SpqrMessage(ulong.MaxValue, 1, SpqrMessageType.None, null).Serialize()));
    }

    [Fact]
    public void TamperedHeaderFailsItsMac()
    {
        var peers = new SpqrPeers(36);
        peers.AliceToBob();
        peers.AliceToBob(FlipLastByte);
        Assert.Throws<InvalidMessageException>(() => peers.AliceToBob());
    }

    [Fact]
    public void TamperedKeyVectorFailsTheHeaderHash()
    {
        var peers = new SpqrPeers(37);
        for (int round = 0; round < 10; round++)
        {
            peers.Round();
        }

        peers.AliceToBob(FlipLastByte); // an Ek chunk: accepted until the vector completes
        peers.BobToAlice();
        var error = Assert.ThrowsAny<InvalidMessageException>(() =>
        {
            for (int round = 0; round < 40; round++)
            {
                peers.Round();
            }
        });
        Assert.Contains("does not match its header", error.Message);
    }

    [Fact]
    public void TamperedCiphertextFailsItsMac()
    {
        var peers = new SpqrPeers(38);
        while (peers.Bob.Braid is not SignalSharp.Spqr.Braid.Ct2Sampled)
        {
            peers.Round();
        }

        peers.AliceToBob();
        peers.BobToAlice(FlipLastByte); // ct2 chunk 0
        var error = Assert.ThrowsAny<InvalidMessageException>(() =>
        {
            for (int round = 0; round < 6; round++)
            {
                peers.Round();
            }
        });
        Assert.Contains("ciphertext MAC", error.Message);
    }

    [Fact]
    public void AFailedReceiveLeavesTheStateUsable()
    {
        var peers = new SpqrPeers(39);
        peers.AliceToBob();
        peers.AliceToBob();
        var sent = peers.Alice.Send(peers.Random);
        Assert.Throws<InvalidMessageException>(() => peers.Bob.Receive(FlipLastByte(sent.Message)));
        Assert.Equal(sent.Key, peers.Bob.Receive(sent.Message).Key);
    }

    private static SpqrSendResult Send(SpqrPeers peers)
    {
        var sent = peers.Alice.Send(peers.Random);
        peers.Alice = sent.NewState;
        return sent;
    }

    private static byte[] NoneFromBob(uint index) => new SpqrMessage(1, index, SpqrMessageType.None, null).Serialize();

    private static byte[] FlipLastByte(byte[] message)
    {
        var copy = message.ToArray();
        copy[^1] ^= 0x01;
        return copy;
    }
}
