using System.Text;
using SignalSharp;
using SignalSharp.Devices;
using Xunit;

namespace SignalSharp.Tests.Devices;

/// <summary>Offline catch-up: a mailbox of many senders' messages drained in one batch, each message committed on its own and reported.</summary>
public class BatchReceiverTests
{
    private const int Senders = 6;
    private const int PerSender = 5;

    /// <summary>Bob's mailbox after <see cref="Senders"/> users each sent him <see cref="PerSender"/> messages ("s{i}-{n}"), interleaved.</summary>
    private static async Task<(FakeServer Server, FakeDevice Bob, List<IncomingDeviceMessage> Mailbox)> QueuedMailboxAsync()
    {
        var server = new FakeServer();
        var bob = server.AddDevice("bob", 1);
        var senders = Enumerable.Range(0, Senders).Select(i => server.AddDevice($"s{i}", 1)).ToArray();
        for (int n = 0; n < PerSender; n++)
        {
            foreach (var (sender, i) in senders.Select((s, i) => (s, i)))
            {
                await sender.Sender.SendAsync("bob", Encoding.UTF8.GetBytes($"s{i}-{n}"), includeOwnDevices: false);
            }
        }

        var mailbox = bob.Mailbox.ToList();
        bob.Mailbox.Clear();
        return (server, bob, mailbox);
    }

    /// <summary>A well-formed Whisper message of some other conversation.</summary>
    private static async Task<ReadOnlyMemory<byte>> SomeWhisperMessageAsync()
    {
        var server = new FakeServer();
        var carol = server.AddDevice("carol", 1);
        var dave = server.AddDevice("dave", 1);
        await carol.Sender.SendAsync("dave", "hi"u8.ToArray(), includeOwnDevices: false);
        await dave.DrainAsync();
        var reply = await dave.Sender.SendAsync("carol", "hi"u8.ToArray(), includeOwnDevices: false);
        Assert.Equal(CiphertextMessageType.Whisper, reply.Messages[0].Type);
        return reply.Messages[0].Body;
    }

    private static string Text(ReceivedMessage r) => Encoding.UTF8.GetString(r.Plaintext.Span);

    [Fact]
    public async Task EveryMessageIsReportedInInputOrderWithDuplicatesGarbageAndReorderingMixedIn()
    {
        var (_, bob, queued) = await QueuedMailboxAsync();
        var batch = new List<IncomingDeviceMessage>(queued);
        var s1 = new ProtocolAddress("s1", 1);
        var s2 = new ProtocolAddress("s2", 1);

        // s2's third and fourth messages arrive swapped.
        var s2Third = queued.Where(q => q.Sender.Equals(s2)).ElementAt(2);
        var s2Fourth = queued.Where(q => q.Sender.Equals(s2)).ElementAt(3);
        int third = batch.IndexOf(s2Third);
        int fourth = batch.IndexOf(s2Fourth);
        (batch[third], batch[fourth]) = (batch[fourth], batch[third]);

        // Every sender's first message comes again at the end (a redelivery); junk from s1 sits in the middle of its
        // stream, before messages that must still decrypt; a wrong-type body; a Whisper from a stranger.
        var redelivered = queued.GroupBy(m => m.Sender).Select(g => g.First()).ToList();
        batch.AddRange(redelivered);
        int junkAt = batch.FindIndex(m => m.Sender.Equals(s1)) + 1;
        byte[] junk = [0x44, .. Enumerable.Repeat((byte)0xff, 119)];
        batch.Insert(junkAt, new IncomingDeviceMessage(s1, CiphertextMessageType.Whisper, junk));
        var s1Second = queued.Where(q => q.Sender.Equals(s1)).ElementAt(1);
        batch.Add(new IncomingDeviceMessage(s1, CiphertextMessageType.Whisper, s1Second.Body));
        batch.Add(new IncomingDeviceMessage(new ProtocolAddress("mallory", 1), CiphertextMessageType.Whisper, await SomeWhisperMessageAsync()));

        var results = await new BatchReceiver(bob.Store, bob.Address, maxParallelSenders: 4).ReceiveAsync(batch);

        Assert.Equal(batch.Count, results.Count);
        Assert.Equal(Enumerable.Range(0, batch.Count), results.Select(r => r.Index));
        var decrypted = results.Where(r => r.Status == ReceiveStatus.Decrypted).Select(Text).Order().ToList();
        var expected = Enumerable.Range(0, Senders).SelectMany(i => Enumerable.Range(0, PerSender).Select(n => $"s{i}-{n}")).Order().ToList();
        Assert.Equal(expected, decrypted);
        Assert.All(results.Skip(queued.Count + 1).Take(Senders), r => Assert.Equal(ReceiveStatus.Duplicate, r.Status));
        Assert.Equal(ReceiveErrorKind.InvalidMessage, results[junkAt].Error);
        Assert.Equal(ReceiveErrorKind.InvalidMessage, results[^2].Error);
        Assert.Equal(ReceiveErrorKind.NoSession, results[^1].Error);
        Assert.All(results.Where(r => r.Status == ReceiveStatus.Failed), r => Assert.IsAssignableFrom<SignalProtocolException>(r.Exception));
        Assert.All(results, r => Assert.True(r.MayAcknowledge));
        Assert.True(batch.IndexOf(s2Fourth) < batch.IndexOf(s2Third));
        Assert.Equal("s2-3", Text(results[batch.IndexOf(s2Fourth)]));
        Assert.Equal("s2-2", Text(results[batch.IndexOf(s2Third)]));
    }

    [Fact]
    public async Task ADrainedMailboxDeliveredAgainIsAllDuplicates()
    {
        var (_, bob, queued) = await QueuedMailboxAsync();
        var receiver = new BatchReceiver(bob.Store, bob.Address);
        Assert.All(await receiver.ReceiveAsync(queued), r => Assert.Equal(ReceiveStatus.Decrypted, r.Status));

        var again = await receiver.ReceiveAsync(queued);

        Assert.All(again, r => Assert.Equal(ReceiveStatus.Duplicate, r.Status));
        Assert.All(again, r => Assert.True(r.Plaintext.IsEmpty));
    }

    [Fact]
    public async Task AStoreFailureOnOneMessageIsReportedCommitsNothingForItAndTheRestGoOn()
    {
        var (_, bob, queued) = await QueuedMailboxAsync();
        var s3 = new ProtocolAddress("s3", 1);
        // The second write: s3's second message, a repeat of its handshake, which consumes no pre-key.
        int writes = 0;
        var failing = new HookedStore(bob.Store)
        {
            BeforeStore = address => address.Equals(s3) && Interlocked.Increment(ref writes) == 2 ? throw new IOException("disk full") : Task.CompletedTask,
        };

        var results = await new BatchReceiver(failing, bob.Address, maxParallelSenders: 3).ReceiveAsync(queued);

        var failed = Assert.Single(results, r => r.Status == ReceiveStatus.Failed);
        Assert.Equal(s3, failed.Sender);
        Assert.Equal(ReceiveErrorKind.Store, failed.Error);
        Assert.IsType<IOException>(failed.Exception);
        Assert.False(failed.MayAcknowledge);
        Assert.Equal(queued.Count - 1, results.Count(r => r.Status == ReceiveStatus.Decrypted));

        // Not acknowledged, so redelivered: it decrypts now, from the state the failure left untouched.
        var retry = await new BatchReceiver(bob.Store, bob.Address).ReceiveAsync([queued[failed.Index]]);
        Assert.Equal("s3-1", Text(Assert.Single(retry)));
    }

    [Fact]
    public async Task ACancelledBatchReportsUnstartedMessagesAsSkippedAndCommitsNothingForThem()
    {
        var (_, bob, queued) = await QueuedMailboxAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var results = await new BatchReceiver(bob.Store, bob.Address).ReceiveAsync(queued, cancelled.Token);

        Assert.All(results, r => Assert.Equal(ReceiveStatus.Skipped, r.Status));
        Assert.All(results, r => Assert.False(r.MayAcknowledge));
        Assert.All(await new BatchReceiver(bob.Store, bob.Address).ReceiveAsync(queued), r => Assert.Equal(ReceiveStatus.Decrypted, r.Status));
    }

    [Fact]
    public async Task AnUntrustedSenderFailsAloneWithItsKind()
    {
        var (server, bob, queued) = await QueuedMailboxAsync();
        // Bob already trusts another identity for s4, so s4's PreKey messages are refused.
        await bob.Store.SaveIdentityAsync(new ProtocolAddress("s4", 1), KeyHelper.GenerateIdentityKeyPair().IdentityKey);

        var results = await new BatchReceiver(bob.Store, bob.Address).ReceiveAsync(queued);

        Assert.All(results.Where(r => r.Sender.Name == "s4"), r => Assert.Equal(ReceiveErrorKind.UntrustedIdentity, r.Error));
        Assert.All(results.Where(r => r.Sender.Name != "s4"), r => Assert.Equal(ReceiveStatus.Decrypted, r.Status));
    }

    [Fact]
    public async Task AStalledSenderDoesNotHoldUpTheOthers()
    {
        var (_, bob, queued) = await QueuedMailboxAsync();
        var s0 = new ProtocolAddress("s0", 1);
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int otherWrites = 0;
        var store = new HookedStore(bob.Store)
        {
            // s0's first message waits until every other sender's messages are committed: with senders processed one
            // after another this never happens, and the batch would hang.
            BeforeLoad = address => address.Equals(s0) ? othersDone.Task : Task.CompletedTask,
            BeforeStore = address =>
            {
                if (!address.Equals(s0) && Interlocked.Increment(ref otherWrites) == (Senders - 1) * PerSender)
                {
                    othersDone.SetResult();
                }

                return Task.CompletedTask;
            },
        };

        var results = await new BatchReceiver(store, bob.Address, maxParallelSenders: 2).ReceiveAsync(queued).AsTask().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.All(results, r => Assert.Equal(ReceiveStatus.Decrypted, r.Status));
    }

    [Fact]
    public async Task AnEmptyBatchHasNoResults()
    {
        var bob = new FakeServer().AddDevice("bob", 1);
        Assert.Empty(await bob.Receiver.ReceiveAsync([]));
    }

    /// <summary>A store with hooks before session loads and writes (to stall them, or fail them as a full disk would).</summary>
    private sealed class HookedStore(ISignalProtocolStore inner) : ISignalProtocolStore
    {
        public Func<ProtocolAddress, Task>? BeforeLoad { get; init; }

        public Func<ProtocolAddress, Task>? BeforeStore { get; init; }

        public async ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        {
            if (BeforeLoad is { } hook)
            {
                await hook(address);
            }

            return await inner.LoadSessionAsync(address, cancellationToken);
        }

        public async ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
        {
            if (BeforeStore is { } hook)
            {
                await hook(address);
            }

            await inner.StoreSessionAsync(address, record, cancellationToken);
        }

        public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => inner.GetIdentityKeyPairAsync(cancellationToken);

        public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => inner.GetLocalRegistrationIdAsync(cancellationToken);

        public ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default) => inner.SaveIdentityAsync(address, identityKey, cancellationToken);

        public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default) => inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

        public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => inner.GetIdentityAsync(address, cancellationToken);

        public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => inner.DeleteSessionAsync(address, cancellationToken);

        public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default) => inner.GetDeviceIdsAsync(name, cancellationToken);

        public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default) => inner.LoadPreKeyAsync(preKeyId, cancellationToken);

        public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default) => inner.StorePreKeyAsync(preKeyId, record, cancellationToken);

        public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default) => inner.RemovePreKeyAsync(preKeyId, cancellationToken);

        public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default) => inner.LoadSignedPreKeyAsync(signedPreKeyId, cancellationToken);

        public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default) => inner.StoreSignedPreKeyAsync(signedPreKeyId, record, cancellationToken);

        public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default) => inner.LoadKyberPreKeyAsync(kyberPreKeyId, cancellationToken);

        public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default) => inner.StoreKyberPreKeyAsync(kyberPreKeyId, record, cancellationToken);

        public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default) => inner.MarkKyberPreKeyUsedAsync(kyberPreKeyId, signedPreKeyId, baseKey, cancellationToken);
    }
}
