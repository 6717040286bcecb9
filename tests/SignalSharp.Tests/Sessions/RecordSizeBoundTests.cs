using SignalSharp;
using SignalSharp.Ratchet;
using SignalSharp.Spqr;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// A hostile but genuine peer cannot make its session record grow without bound (issue 10, 0d): skipped keys are
/// capped over the whole record and dropped oldest first, so the record stays under the size docs/sessions.md states.
/// </summary>
public class RecordSizeBoundTests
{
    /// <summary>The serialized-size bound documented in docs/sessions.md (Limits).</summary>
    private const int DocumentedRecordBound = 1 << 20;

    [Fact]
    public async Task HostilePeerSkippingInEverySessionAndChainKeepsTheRecordUnderItsBound()
    {
        var bob = new TestParty("bob");
        var aliceIdentity = IdentityKeyPair.Generate();
        TestParty alice = null!;
        for (int session = 0; session <= SessionRecord.MaxArchivedStates; session++)
        {
            alice = new TestParty("alice", 1, aliceIdentity);
            await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
            await SkipAheadAsync(alice, bob, SessionRatchet.MaxSkippedKeysPerChain);
            await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "after a skip"));
        }

        // Five receiving chains in the current session, each with a full skip.
        for (int chain = 0; chain < SessionState.MaxReceiverChains; chain++)
        {
            await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "ratchet"));
            await SkipAheadAsync(alice, bob, SessionRatchet.MaxSkippedKeysPerChain);
            await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "after a skip"));
        }

        var record = (await bob.Store.LoadSessionAsync(alice.Address))!;
        Assert.Equal(SessionRecord.MaxArchivedStates, record.ArchivedStateCount);
        var states = record.Archived.Prepend(record.Current!).ToList();
        Assert.Equal(SessionRecord.MaxSkippedMessageKeys, states.Sum(s => s.SkippedSeedCount));
        Assert.Equal(SessionRecord.MaxSkippedSpqrKeys, states.Sum(s => s.Spqr.SkippedKeyCount));
        Assert.InRange(record.Serialize().Length, 0, DocumentedRecordBound);

        // Oldest first: the current session's newest chain keeps its full window, the oldest archived ones nothing.
        Assert.Equal(SessionRatchet.MaxSkippedKeysPerChain, record.Current!.ReceiverChains[^1].SkippedCount);
        Assert.Equal(0, record.Archived[^1].SkippedSeedCount);
    }

    [Fact]
    public async Task SkippedMessagesOfTheNewestChainStillDecryptAfterTrimming()
    {
        var bob = new TestParty("bob");
        var alice = new TestParty("alice");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello"));
        var late = new List<CiphertextMessage>();
        for (int chain = 0; chain < 4; chain++)
        {
            await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "ratchet"));
            late.Add(await alice.EncryptAsync(bob, "late " + chain));
            await SkipAheadAsync(alice, bob, SessionRatchet.MaxSkippedKeysPerChain - 1);
            await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "after a skip"));
        }

        // 4 × 2,000 seeds offered, 5,000 kept: the oldest chain lost its seeds, the newest kept them. (The SPQR
        // keys of these messages share one epoch, whose own window of 2,000 keeps only the newest chain's.)
        var record = (await bob.Store.LoadSessionAsync(alice.Address))!;
        Assert.Equal([0, 0, 1_000, 2_000, 2_000], record.Current!.ReceiverChains.Select(c => c.SkippedCount));
        Assert.Equal("late 3", await bob.DecryptAsync(alice, late[3]));
        await Assert.ThrowsAnyAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, late[0]));
    }

    /// <summary>Moves the sender's current chain and SPQR chain <paramref name="count"/> messages ahead, as if it had sent them and they were lost.</summary>
    private static async Task SkipAheadAsync(TestParty sender, TestParty receiver, int count)
    {
        var record = (await sender.Store.LoadSessionAsync(receiver.Address))!;
        var state = record.Current!.Clone();
        var chain = state.SenderChain;
        var spqrChain = state.Spqr.Chain;
        Span<byte> key = stackalloc byte[SpqrState.KeySize];
        for (int i = 0; i < count; i++)
        {
            chain = chain.Advance(ChainKdf.Step(chain.ChainKey, new byte[ChainKdf.KeySize]));
            spqrChain = spqrChain.SendKey(state.Spqr.Braid.Epoch - 1, out _, key);
        }

        state.SenderChain = chain;
        state.Spqr = new SpqrState(state.Spqr.Direction, spqrChain, state.Spqr.Braid);
        record.SetCurrentState(state);
        await sender.Store.StoreSessionAsync(receiver.Address, record);
    }
}
