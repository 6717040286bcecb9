using SignalSharp.Spqr;
using SignalSharp.Spqr.Braid;
using Xunit;

namespace SignalSharp.Tests.Spqr;

/// <summary>Alice and Bob SPQR states driven together; every delivered message's keys are compared.</summary>
internal sealed class SpqrPeers
{
    private readonly SeededRandom random;

    internal SpqrPeers(int seed, byte[]? authKey = null)
    {
        random = new SeededRandom(seed);
        AuthKey = authKey ?? ErasureCodeTests.RandomBytes(32, seed);
        Alice = SpqrState.Initialize(AuthKey, SpqrDirection.A2B);
        Bob = SpqrState.Initialize(AuthKey, SpqrDirection.B2A);
    }

    internal byte[] AuthKey { get; }

    internal SpqrState Alice { get; set; }

    internal SpqrState Bob { get; set; }

    internal SeededRandom Random => random;

    /// <summary>The key of the last delivered message (equal on both sides).</summary>
    internal byte[] LastKey { get; private set; } = [];

    /// <summary>Alice sends, Bob receives; returns the message.</summary>
    internal SpqrMessage AliceToBob(Func<byte[], byte[]>? tamper = null)
    {
        var sent = Alice.Send(random);
        Alice = sent.NewState;
        var wire = tamper is null ? sent.Message : tamper(sent.Message);
        var received = Bob.Receive(wire);
        Assert.Equal(sent.Key, received.Key);
        LastKey = sent.Key;
        Bob = received.NewState;
        return SpqrMessage.Parse(sent.Message);
    }

    /// <summary>Bob sends, Alice receives; returns the message.</summary>
    internal SpqrMessage BobToAlice(Func<byte[], byte[]>? tamper = null)
    {
        var sent = Bob.Send(random);
        Bob = sent.NewState;
        var wire = tamper is null ? sent.Message : tamper(sent.Message);
        var received = Alice.Receive(wire);
        Assert.Equal(sent.Key, received.Key);
        LastKey = sent.Key;
        Alice = received.NewState;
        return SpqrMessage.Parse(sent.Message);
    }

    /// <summary>One round: Alice → Bob, then Bob → Alice.</summary>
    internal (SpqrMessage FromAlice, SpqrMessage FromBob) Round() => (AliceToBob(), BobToAlice());

    /// <summary>True for the states of the party that publishes ML-KEM keys in its epoch.</summary>
    internal static bool IsSendEk(BraidStateKind kind) => kind <= BraidStateKind.EkSentCt1Received;
}
