using System.Text;
using SignalSharp.Groups.Chains;
using Xunit;

namespace SignalSharp.Groups.Tests;

public class GroupCipherTests
{
    private static readonly Guid Group = Guid.Parse("11111111-2222-3333-4444-555555555555");

    private static async Task<(Device Alice, Device Bob)> PairAsync()
    {
        var alice = new Device("alice");
        var bob = new Device("bob");
        var skdm = await alice.Cipher.CreateDistributionMessageAsync(alice.Address, Group);
        await bob.Cipher.ProcessDistributionMessageAsync(alice.Address, skdm.Serialize());
        return (alice, bob);
    }

    private static ValueTask<SenderKeyMessage> SendAsync(Device sender, string text)
        => sender.Cipher.EncryptAsync(sender.Address, Group, Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task MemberDecryptsInOrder()
    {
        var (alice, bob) = await PairAsync();
        for (int i = 0; i < 5; i++)
        {
            var message = await SendAsync(alice, $"message {i}");
            Assert.Equal((uint)i, message.Iteration);
            Assert.Equal($"message {i}", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, message)));
        }
    }

    [Fact]
    public async Task EmptyAndLargePlaintextsRoundTrip()
    {
        var (alice, bob) = await PairAsync();
        foreach (int size in new[] { 0, 1, 15, 16, 17, 65536 })
        {
            var plaintext = new byte[size];
            Random.Shared.NextBytes(plaintext);
            var message = await alice.Cipher.EncryptAsync(alice.Address, Group, plaintext);
            Assert.Equal(plaintext, await bob.DecryptAsync(alice, message));
        }
    }

    [Fact]
    public async Task MemberDecryptsOutOfOrder()
    {
        var (alice, bob) = await PairAsync();
        var messages = new List<SenderKeyMessage>();
        for (int i = 0; i < 10; i++)
        {
            messages.Add(await SendAsync(alice, $"m{i}"));
        }

        foreach (int i in new[] { 9, 0, 5, 1, 8, 2, 7, 3, 6, 4 })
        {
            Assert.Equal($"m{i}", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, messages[i])));
        }
    }

    [Fact]
    public async Task ReplayIsADuplicate()
    {
        var (alice, bob) = await PairAsync();
        var first = await SendAsync(alice, "once");
        var second = await SendAsync(alice, "twice");
        await bob.DecryptAsync(alice, second);
        await bob.DecryptAsync(alice, first);
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await bob.DecryptAsync(alice, first));
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await bob.DecryptAsync(alice, second));
    }

    [Fact]
    public async Task TamperedMessageIsRejectedAndConsumesNothing()
    {
        var (alice, bob) = await PairAsync();
        var message = await SendAsync(alice, "genuine");
        var bytes = message.Serialize();
        for (int i = 0; i < bytes.Length; i += 7)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            var e = await Record.ExceptionAsync(async () => await bob.DecryptAsync(alice, tampered));
            Assert.True(e is InvalidMessageException or NoSenderKeyException, $"byte {i}: {e?.GetType().Name ?? "accepted"}");
            Assert.IsNotType<DuplicateMessageException>(e);
        }

        Assert.Equal("genuine", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, message)));
    }

    [Fact]
    public async Task ForgedSignatureDoesNotAdvanceTheChain()
    {
        var (alice, bob) = await PairAsync();
        var messages = new List<SenderKeyMessage>();
        for (int i = 0; i < 3; i++)
        {
            messages.Add(await SendAsync(alice, $"m{i}"));
        }

        var forged = messages[2].Serialize();
        forged[^1] ^= 0x10;
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await bob.DecryptAsync(alice, forged));
        using var record = await bob.Store.LoadSenderKeyAsync(alice.Address, Group);
        Assert.Equal(0u, record!.CurrentState!.ChainKey.Iteration);
        Assert.Equal(0, record.CurrentState.SkippedKeyCount);
    }

    [Fact]
    public async Task UnknownSenderIsNoSenderKey()
    {
        var (alice, _) = await PairAsync();
        var carol = new Device("carol");
        var message = await SendAsync(alice, "not for carol");
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await carol.DecryptAsync(alice, message));
    }

    [Fact]
    public async Task MessageAttributedToAnotherSenderIsNoSenderKey()
    {
        var (alice, bob) = await PairAsync();
        var message = await SendAsync(alice, "from alice");
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await bob.Cipher.DecryptAsync(new ProtocolAddress("alice", 2), message.Serialize()));
    }

    [Fact]
    public async Task UnknownDistributionIsNoSenderKey()
    {
        var (alice, bob) = await PairAsync();
        var other = Guid.NewGuid();
        await alice.Cipher.CreateDistributionMessageAsync(alice.Address, other);
        var message = await alice.Cipher.EncryptAsync(alice.Address, other, new byte[3]);
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await bob.DecryptAsync(alice, message));
    }

    [Fact]
    public async Task EncryptWithoutAChainIsNoSenderKey()
    {
        var alice = new Device("alice");
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await alice.Cipher.EncryptAsync(alice.Address, Group, new byte[1]));
    }

    [Fact]
    public async Task EncryptWithAReceivedChainIsRefused()
    {
        var (alice, bob) = await PairAsync();

        // Bob holds alice's chain without its signing key and cannot send on it.
        await Assert.ThrowsAsync<InvalidKeyException>(async () => await bob.Cipher.EncryptAsync(alice.Address, Group, new byte[1]));
    }

    [Fact]
    public async Task ForwardJumpOfExactly25000IsAcceptedAndOneMoreIsNot()
    {
        var alice = new Device("alice");
        var skdm = await alice.Cipher.CreateDistributionMessageAsync(alice.Address, Group);
        var bob = new Device("bob");
        var carol = new Device("carol");
        await bob.Cipher.ProcessDistributionMessageAsync(alice.Address, skdm);
        await carol.Cipher.ProcessDistributionMessageAsync(alice.Address, skdm);

        // Move alice's chain without sending (the in-state API is the quickest way to skip 25,000 iterations).
        await AdvanceSenderAsync(alice, 25_000);
        var at25000 = await SendAsync(alice, "far");
        Assert.Equal(25_000u, at25000.Iteration);
        var at25001 = await SendAsync(alice, "too far");

        Assert.Equal("far", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, at25000)));
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await carol.DecryptAsync(alice, at25001));
    }

    [Fact]
    public async Task AtMost2000SkippedKeysAreKeptAndTheOldestAreDropped()
    {
        var (alice, bob) = await PairAsync();
        var first = await SendAsync(alice, "oldest");
        var second = await SendAsync(alice, "second");
        await AdvanceSenderAsync(alice, 2000);
        var last = await SendAsync(alice, "last");
        Assert.Equal(2002u, last.Iteration);

        await bob.DecryptAsync(alice, last);
        using (var record = await bob.Store.LoadSenderKeyAsync(alice.Address, Group))
        {
            Assert.Equal(SenderKeyState.MaxSkippedKeys, record!.CurrentState!.SkippedKeyCount);
        }

        // Iterations 0 and 1 fell off the 2000-key window; 2..2001 remain.
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await bob.DecryptAsync(alice, first));
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await bob.DecryptAsync(alice, second));
    }

    [Fact]
    public async Task SkippedKeysWithinTheWindowStillDecrypt()
    {
        var (alice, bob) = await PairAsync();
        await AdvanceSenderAsync(alice, 2);
        var kept = await SendAsync(alice, "kept");
        await AdvanceSenderAsync(alice, 1996);
        var last = await SendAsync(alice, "last");
        await bob.DecryptAsync(alice, last);
        Assert.Equal("kept", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, kept)));
    }

    [Fact]
    public async Task ReprocessingADistributionMessageChangesNothing()
    {
        var alice = new Device("alice");
        var bob = new Device("bob");
        var skdm = await alice.Cipher.CreateDistributionMessageAsync(alice.Address, Group);
        await bob.Cipher.ProcessDistributionMessageAsync(alice.Address, skdm);
        var m0 = await SendAsync(alice, "m0");
        await bob.DecryptAsync(alice, m0);
        var before = (await bob.Store.LoadSenderKeyAsync(alice.Address, Group))!.Serialize();

        await bob.Cipher.ProcessDistributionMessageAsync(alice.Address, skdm);
        var after = (await bob.Store.LoadSenderKeyAsync(alice.Address, Group))!.Serialize();
        Assert.Equal(before, after);
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await bob.DecryptAsync(alice, m0));
    }

    [Fact]
    public async Task LaterDistributionMessageCarriesTheCurrentIteration()
    {
        var alice = new Device("alice");
        await alice.Cipher.CreateDistributionMessageAsync(alice.Address, Group);
        var early = await SendAsync(alice, "before carol");
        var skdm = await alice.Cipher.CreateDistributionMessageAsync(alice.Address, Group);
        Assert.Equal(1u, skdm.Iteration);

        var carol = new Device("carol");
        await carol.Cipher.ProcessDistributionMessageAsync(alice.Address, skdm);
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await carol.DecryptAsync(alice, early));
        Assert.Equal("after", Encoding.UTF8.GetString(await carol.DecryptAsync(alice, await SendAsync(alice, "after"))));
    }

    [Fact]
    public async Task RotationStartsANewChainAndOldChainsStillDecryptForMembers()
    {
        var (alice, bob) = await PairAsync();
        var old = await SendAsync(alice, "old chain");
        var oldChain = old.ChainId;
        var rotated = await alice.Cipher.RotateAsync(alice.Address, Group);
        Assert.NotEqual(oldChain, rotated.ChainId);
        Assert.Equal(0u, rotated.Iteration);

        await bob.Cipher.ProcessDistributionMessageAsync(alice.Address, rotated);
        var fresh = await SendAsync(alice, "new chain");
        Assert.Equal(rotated.ChainId, fresh.ChainId);
        Assert.Equal("new chain", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, fresh)));
        Assert.Equal("old chain", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, old)));
    }

    [Fact]
    public async Task SameChainIdWithAnotherSigningKeyReplacesTheChain()
    {
        var (alice, bob) = await PairAsync();
        var original = await alice.Cipher.CreateDistributionMessageAsync(alice.Address, Group);
        using var otherKey = EcPrivateKey.Generate();
        var impostor = SenderKeyDistributionMessage.Create(Group, original.ChainId, 0, new byte[32], otherKey.PublicKey);
        await bob.Cipher.ProcessDistributionMessageAsync(alice.Address, impostor);
        using var record = await bob.Store.LoadSenderKeyAsync(alice.Address, Group);
        Assert.Equal(1, record!.StateCount);
        Assert.Equal(otherKey.PublicKey, record.CurrentState!.SigningPublicKey);
    }

    [Fact]
    public async Task ARecordKeepsAtMostFiveChainsDroppingTheOldest()
    {
        var alice = new Device("alice");
        var bob = new Device("bob");
        var oldest = await alice.Cipher.CreateDistributionMessageAsync(alice.Address, Group);
        await bob.Cipher.ProcessDistributionMessageAsync(alice.Address, oldest);
        var oldestMessage = await SendAsync(alice, "oldest");
        for (int i = 0; i < 5; i++)
        {
            await bob.Cipher.ProcessDistributionMessageAsync(alice.Address, await alice.Cipher.RotateAsync(alice.Address, Group));
        }

        using (var record = await bob.Store.LoadSenderKeyAsync(alice.Address, Group))
        {
            Assert.Equal(SenderKeyRecord.MaxStates, record!.StateCount);
        }

        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await bob.DecryptAsync(alice, oldestMessage));
        Assert.Equal("newest", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, await SendAsync(alice, "newest"))));
    }

    [Fact]
    public async Task RecordsSurviveSerialization()
    {
        var (alice, bob) = await PairAsync();
        var m0 = await SendAsync(alice, "m0");
        var m1 = await SendAsync(alice, "m1");
        await bob.DecryptAsync(alice, m1);

        using var aliceRecord = await alice.Store.LoadSenderKeyAsync(alice.Address, Group);
        using var bobRecord = await bob.Store.LoadSenderKeyAsync(alice.Address, Group);
        var aliceBytes = aliceRecord!.Serialize();
        var bobBytes = bobRecord!.Serialize();
        using var aliceCopy = SenderKeyRecord.Deserialize(aliceBytes);
        using var bobCopy = SenderKeyRecord.Deserialize(bobBytes);
        Assert.Equal(aliceBytes, aliceCopy.Serialize());
        Assert.Equal(bobBytes, bobCopy.Serialize());

        var alice2 = new Device("alice");
        var bob2 = new Device("bob");
        await alice2.Store.StoreSenderKeyAsync(alice.Address, Group, aliceCopy);
        await bob2.Store.StoreSenderKeyAsync(alice.Address, Group, bobCopy);
        Assert.Equal("m0", Encoding.UTF8.GetString(await bob2.DecryptAsync(alice, m0)));
        var m2 = await alice2.Cipher.EncryptAsync(alice.Address, Group, Encoding.UTF8.GetBytes("m2"));
        Assert.Equal(2u, m2.Iteration);
        Assert.Equal("m2", Encoding.UTF8.GetString(await bob2.DecryptAsync(alice, m2)));
    }

    [Fact]
    public async Task StoreHandsOutCopies()
    {
        var (alice, _) = await PairAsync();
        using var loaded = await alice.Store.LoadSenderKeyAsync(alice.Address, Group);
        loaded!.Dispose();
        var message = await SendAsync(alice, "still works");
        Assert.Equal(0u, message.Iteration);
    }

    [Fact]
    public async Task ConcurrentDecryptsOfOneSenderEachSucceedOnce()
    {
        var (alice, bob) = await PairAsync();
        var messages = new List<SenderKeyMessage>();
        for (int i = 0; i < 200; i++)
        {
            messages.Add(await SendAsync(alice, $"m{i}"));
        }

        var results = await Task.WhenAll(messages.Select(m => Task.Run(async () => await bob.DecryptAsync(alice, m))));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), results.Select(r => Encoding.UTF8.GetString(r)));
    }

    [Fact]
    public async Task SeparateCipherInstancesOverOneStoreStillSerializePerSender()
    {
        var (alice, bob) = await PairAsync();
        var messages = new List<SenderKeyMessage>();
        for (int i = 0; i < 100; i++)
        {
            messages.Add(await SendAsync(alice, $"m{i}"));
        }

        // A fresh GroupCipher per message, as an app might create them per request.
        var results = await Task.WhenAll(messages.Select(m => Task.Run(async () => await new GroupCipher(bob.Store).DecryptAsync(alice.Address, m.Serialize()))));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), results.Select(r => Encoding.UTF8.GetString(r)));
        foreach (var m in messages)
        {
            await Assert.ThrowsAsync<DuplicateMessageException>(async () => await bob.DecryptAsync(alice, m));
        }
    }

    [Fact]
    public async Task ConcurrentEncryptsUseDistinctIterations()
    {
        var (alice, bob) = await PairAsync();
        var messages = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () => await SendAsync(alice, $"m{i}"))));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (uint)i), messages.Select(m => m.Iteration).Order());
        foreach (var m in messages)
        {
            await bob.DecryptAsync(alice, m);
        }
    }

    [Fact]
    public async Task CancelledDecryptCommitsNothing()
    {
        var (alice, bob) = await PairAsync();
        var message = await SendAsync(alice, "later");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await bob.Cipher.DecryptAsync(alice.Address, message.Serialize(), cts.Token));
        Assert.Equal("later", Encoding.UTF8.GetString(await bob.DecryptAsync(alice, message)));
    }

    private static async Task AdvanceSenderAsync(Device sender, int steps)
    {
        using var record = await sender.Store.LoadSenderKeyAsync(sender.Address, Group);
        for (int i = 0; i < steps; i++)
        {
            record!.CurrentState!.NextSendingKey().Dispose();
        }

        await sender.Store.StoreSenderKeyAsync(sender.Address, Group, record!);
    }
}
