using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Spqr;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// What an unauthenticated SignalMessage can make the receiver do (issue 10, 0b/0c): the chain steps of all
/// session trials together are bounded, the trials allocate little, and a large message is neither copied per
/// session nor accepted above <see cref="CiphertextMessage.MaxSerializedLength"/>. Time is measured by
/// ForgedMessageBenchmarks, not here.
/// </summary>
public class ForgedMessageCostTests(ForgedMessageCostTests.FullRecord full) : IClassFixture<ForgedMessageCostTests.FullRecord>
{
    [Fact]
    public async Task FarAheadForgeryAgainstFortyArchivedSessionsTakesAtMostTheMessageBudget()
    {
        var (alice, bob, genuine) = await full.Parties.Value;
        var record = (await bob.Store.LoadSessionAsync(alice.Address))!;
        var forged = Forge(genuine, alice, bob, counter: 24_999, spqrIndexAhead: 24_990, ratchetKey: null);
        var budget = new DerivationBudget(DerivationBudget.PerMessage);

        Assert.Throws<InvalidMessageException>(() => SessionTrialDecryption.Decrypt(record, forged, bob.Address, alice.Address, RandomSource.Secure, budget));

        Assert.InRange(budget.Spent, 1, DerivationBudget.PerMessage);
    }

    [Fact]
    public async Task FarAheadForgeryAgainstFortyArchivedSessionsAllocatesLittle()
    {
        var (alice, bob, genuine) = await full.Parties.Value;
        var forged = Forge(genuine, alice, bob, counter: 24_999, spqrIndexAhead: 24_990, ratchetKey: null);
        var cipher = bob.CipherFor(alice);
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await cipher.DecryptAsync(forged)); // warm-up: pools, JIT

        long allocated = AllocatedBy(() => cipher.DecryptAsync(forged));

        // Two full walks at most, with no per-step garbage: well under 8 MB (it was ≈ 330 MB).
        Assert.InRange(allocated, 0, 8_000_000);
    }

    [Fact]
    public async Task ForgeryUnderAKnownRatchetKeyIsTriedOnlyInTheSessionThatHasIt()
    {
        var (alice, bob, genuine) = await full.Parties.Value;
        var record = (await bob.Store.LoadSessionAsync(alice.Address))!;
        var archivedChain = record.Archived[^1].ReceiverChains[0];
        var forged = Forge(genuine, alice, bob, counter: archivedChain.Index + 24_999, spqrIndexAhead: 24_990, ratchetKey: archivedChain.RatchetKey);
        var budget = new DerivationBudget(DerivationBudget.PerMessage);

        Assert.Throws<InvalidMessageException>(() => SessionTrialDecryption.Decrypt(record, forged, bob.Address, alice.Address, RandomSource.Secure, budget));

        // One session's walk (chain and SPQR), not the current one's as well.
        Assert.InRange(budget.Spent, 25_000, 25_000 + 25_000);
    }

    [Fact]
    public async Task MessagesOfArchivedSessionsStillDecryptUnderTheBudget()
    {
        var bob = new TestParty("bob");
        var aliceIdentity = IdentityKeyPair.Generate();
        var first = new TestParty("alice", 1, aliceIdentity);
        await first.StartSessionWithAsync(bob);
        await bob.DecryptAsync(first, await first.EncryptAsync(bob, "one"));
        await first.DecryptAsync(bob, await bob.EncryptAsync(first, "ack"));

        // A second session takes over; the first is archived. Alice's first session keeps sending, after a skip
        // of 3,000 messages, and on a new ratchet key after Bob's answer.
        var second = new TestParty("alice", 1, aliceIdentity);
        await second.StartSessionWithAsync(bob);
        await bob.DecryptAsync(second, await second.EncryptAsync(bob, "two"));
        for (int i = 0; i < 3_000; i++)
        {
            await first.EncryptAsync(bob, "lost");
        }

        Assert.Equal("late", await bob.DecryptAsync(first, await first.EncryptAsync(bob, "late")));
    }

    [Fact]
    public void MessagesLongerThanTheLimitAreRefusedBeforeParsing()
    {
        var tooLong = new byte[CiphertextMessage.MaxSerializedLength + 1];
        tooLong[0] = 0x44;

        Assert.Equal(tooLong.Length, Assert.Throws<MessageTooLargeException>(() => SignalMessage.Deserialize(tooLong)).Length);
        Assert.Throws<MessageTooLargeException>(() => PreKeySignalMessage.Deserialize(tooLong));
    }

    [Fact]
    public async Task PlaintextsUpToTheLimitRoundTripAndLongerOnesAreRefused()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var largest = RandomNumberGenerator.GetBytes(CiphertextMessage.MaxPlaintextLength);

        var message = await alice.CipherFor(bob).EncryptAsync(largest);
        Assert.InRange(message.Serialize().Length, 0, CiphertextMessage.MaxSerializedLength);
        Assert.Equal(largest, await bob.DecryptBytesAsync(alice, message.Type, message.Serialize()));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await alice.CipherFor(bob).EncryptAsync(new byte[CiphertextMessage.MaxPlaintextLength + 1]));
    }

    [Fact]
    public async Task LargeForgeryIsNotCopiedOncePerSessionTried()
    {
        var (alice, bob, genuine) = await full.Parties.Value;
        var bytes = Forge(genuine, alice, bob, counter: genuine.Counter + 1, spqrIndexAhead: 1, ratchetKey: null, bodyLength: CiphertextMessage.MaxSerializedLength - 1024).Serialize();
        var cipher = bob.CipherFor(alice);
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await cipher.DecryptAsync(SignalMessage.Deserialize(bytes)));
        var forged = SignalMessage.Deserialize(bytes);

        long allocated = AllocatedBy(() => cipher.DecryptAsync(forged));

        // 41 sessions tried: one copy each would be ≈ 43 MB.
        Assert.InRange(allocated, 0, 8_000_000);
    }

    /// <summary>A message as an attacker without keys makes it: the genuine SPQR payload with its index moved ahead, a random MAC key.</summary>
    private static SignalMessage Forge(SignalMessage genuine, TestParty sender, TestParty receiver, uint counter, uint spqrIndexAhead, EcPublicKey? ratchetKey, int bodyLength = 16)
    {
        var spqr = SpqrMessage.Parse(genuine.PqRatchet);
        var moved = new SpqrMessage(spqr.Epoch, spqr.Index + spqrIndexAhead, spqr.Type, spqr.Chunk).Serialize();
        using var fresh = EcKeyPair.Generate();
        return SignalMessage.Create(
            genuine.MessageVersion,
            RandomNumberGenerator.GetBytes(32),
            ratchetKey ?? fresh.PublicKey,
            counter,
            0,
            new byte[bodyLength],
            sender.Identity.IdentityKey,
            receiver.Identity.IdentityKey,
            moved,
            null);
    }

    /// <summary>
    /// Bob's record with Alice: one current and 40 archived sessions, and a genuine message of the current one. Built
    /// once for the class: the tests only send forgeries, which change no store.
    /// </summary>
    public sealed class FullRecord
    {
        internal Lazy<Task<(TestParty Alice, TestParty Bob, SignalMessage Genuine)>> Parties { get; } = new(BuildAsync);

        private static async Task<(TestParty Alice, TestParty Bob, SignalMessage Genuine)> BuildAsync()
        {
            var bob = new TestParty("bob");
            var aliceIdentity = IdentityKeyPair.Generate();
            TestParty alice = null!;
            for (int i = 0; i <= SessionRecord.MaxArchivedStates; i++)
            {
                alice = new TestParty("alice", 1, aliceIdentity);
                await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
                await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello"));
            }

            await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "hi"));
            var genuine = (SignalMessage)await alice.EncryptAsync(bob, "genuine");
            var record = (await bob.Store.LoadSessionAsync(alice.Address))!;
            Assert.Equal(SessionRecord.MaxArchivedStates, record.ArchivedStateCount);
            return (alice, bob, genuine);
        }
    }

    /// <summary>Bytes allocated on this thread by a decryption that completes synchronously (in-memory stores) and fails.</summary>
    private static long AllocatedBy(Func<ValueTask<byte[]>> decrypt)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var pending = decrypt();
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(pending.IsCompleted, "the decryption must complete synchronously for the allocation figure to be this thread's");
        Assert.ThrowsAny<InvalidMessageException>(() => pending.GetAwaiter().GetResult());
        return after - before;
    }
}
