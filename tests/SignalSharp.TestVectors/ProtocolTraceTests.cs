using SignalSharp;
using SignalSharp.Diagnostics;
using Xunit;

namespace SignalSharp.TestVectors;

/// <summary>The observation hook behind the vectors: off unless a flow listens, and never crossing into another flow.</summary>
public sealed class ProtocolTraceTests
{
    [Fact]
    public void NoSinkIsVisibleWhileNoFlowListens()
    {
        Assert.Null(ProtocolTrace.Sink);
    }

    [Fact]
    public async Task AListeningFlowSeesItsOwnIntermediatesAndNoneFromAConcurrentFlow()
    {
        var listening = new CountingSink();
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        // A flow that listens while another flow runs a full session set-up and message exchange.
        var listener = Task.Run(async () =>
        {
            using var scope = ProtocolTrace.Listen(listening);
            started.SetResult();
            await release.Task;
            Assert.Same(listening, ProtocolTrace.Sink);
        });
        await started.Task;
        await Task.Run(ExchangeOneMessageAsync);
        Assert.Equal(0, listening.Count);
        release.SetResult();
        await listener;

        // The same exchange inside the listening flow is reported.
        using (ProtocolTrace.Listen(listening))
        {
            await ExchangeOneMessageAsync();
        }

        Assert.True(listening.Count > 0);
        Assert.Null(ProtocolTrace.Sink);
    }

    private static async Task ExchangeOneMessageAsync()
    {
        using var aliceIdentity = IdentityKeyPair.Generate();
        using var bobIdentity = IdentityKeyPair.Generate();
        var alice = new InMemorySignalProtocolStore(aliceIdentity, 1);
        var bob = new InMemorySignalProtocolStore(bobIdentity, 2);
        var aliceAddress = new ProtocolAddress("alice", 1);
        var bobAddress = new ProtocolAddress("bob", 1);
        var signed = SignedPreKeyRecord.Generate(bobIdentity, 1, 0);
        var kyber = KyberPreKeyRecord.Generate(bobIdentity, 1, 0, isLastResort: true);
        await bob.StoreSignedPreKeyAsync(1, signed);
        await bob.StoreKyberPreKeyAsync(1, kyber);
        var bundle = new PreKeyBundle(2, 1, null, null, 1, signed.PublicKey, signed.Signature, bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
        await new SessionBuilder(alice, bobAddress).ProcessPreKeyBundleAsync(bundle);
        var message = await new SessionCipher(alice, aliceAddress, bobAddress).EncryptAsync("hi"u8.ToArray());
        await new SessionCipher(bob, bobAddress, aliceAddress).DecryptAsync(PreKeySignalMessage.Deserialize(message.Serialize()));
    }

    private sealed class CountingSink : IProtocolTraceSink
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Record(string name, ReadOnlySpan<byte> value) => Interlocked.Increment(ref _count);

        public void Record(string name, ulong value) => Interlocked.Increment(ref _count);
    }
}
