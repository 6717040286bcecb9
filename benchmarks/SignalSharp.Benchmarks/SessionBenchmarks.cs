using BenchmarkDotNet.Attributes;
using SignalSharp;

namespace SignalSharp.Benchmarks;

/// <summary>
/// 1:1 session costs with in-memory stores, shaped like the libsignal anchors in
/// /work/shared/research/performance-anchors.md §1: session setup (bundle → first message → decrypt, no
/// one-time pre-key, last-resort Kyber key), one-way encrypt/decrypt of 64 B and 1 KiB in an answered
/// session, and alternating round trips (a DH ratchet step on every message). One-way operations run
/// against a store that always hands out the same record and ignores writes, so every invocation does the
/// same work as a real first send/receive at that point.
/// </summary>
[MemoryDiagnoser]
public class SessionBenchmarks
{
    private static readonly ProtocolAddress AliceAddress = new("alice", 1);
    private static readonly ProtocolAddress BobAddress = new("bob", 1);
    private readonly byte[] _plaintext64 = new byte[64];
    private readonly byte[] _plaintext1k = new byte[1024];

    private IdentityKeyPair _aliceIdentity = null!;
    private InMemoryIdentityKeyStore _bobIdentityStore = null!;
    private InMemorySignedPreKeyStore _bobSignedPreKeys = null!;
    private InMemoryKyberPreKeyStore _bobKyberPreKeys = null!;
    private InMemoryPreKeyStore _bobPreKeys = null!;
    private PreKeyBundle _bundle = null!;

    private SessionCipher _frozenAlice = null!;
    private SessionCipher _frozenBob = null!;
    private SignalMessage _message64 = null!;
    private SignalMessage _message1k = null!;

    private SessionCipher _pingAlice = null!;
    private SessionCipher _pingBob = null!;

    [GlobalSetup]
    public void Setup()
    {
        _aliceIdentity = IdentityKeyPair.Generate();
        var bobIdentity = IdentityKeyPair.Generate();
        _bobIdentityStore = new InMemoryIdentityKeyStore(bobIdentity, 2);
        _bobSignedPreKeys = new InMemorySignedPreKeyStore();
        _bobKyberPreKeys = new InMemoryKyberPreKeyStore();
        _bobPreKeys = new InMemoryPreKeyStore();
        using var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, 0);
        Run(_bobSignedPreKeys.StoreSignedPreKeyAsync(1, signed));
        Run(_bobKyberPreKeys.StoreKyberPreKeyAsync(1, kyber));
        _bundle = new PreKeyBundle(2, 1, null, null, 1, signed.PublicKey, signed.Signature, bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);

        // An answered session, then frozen copies of both records for the one-way benchmarks.
        var (alice, bob, aliceSessions, bobSessions) = Establish();

        // One more message on Alice's current chain, so that Bob's frozen record already knows that chain
        // (steady one-way traffic, no DH ratchet step, as in the libsignal one-way anchor).
        Run(bob.DecryptAsync((SignalMessage)Run(alice.EncryptAsync(_plaintext64))));
        var aliceRecord = Run(aliceSessions.LoadSessionAsync(BobAddress))!;
        _frozenAlice = new SessionCipher(new FrozenSessionStore(aliceRecord), new InMemoryIdentityKeyStore(_aliceIdentity, 1), _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, AliceAddress, BobAddress);
        _message64 = (SignalMessage)Run(alice.EncryptAsync(_plaintext64));
        _message1k = (SignalMessage)Run(alice.EncryptAsync(_plaintext1k));
        var bobRecord = Run(bobSessions.LoadSessionAsync(AliceAddress))!;
        _frozenBob = new SessionCipher(new FrozenSessionStore(bobRecord), _bobIdentityStore, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, BobAddress, AliceAddress);

        (_pingAlice, _pingBob, _, _) = Establish();
    }

    [Benchmark]
    public byte[] SessionSetup()
    {
        var aliceSessions = new InMemorySessionStore();
        var aliceIdentities = new InMemoryIdentityKeyStore(_aliceIdentity, 1);
        Run(new SessionBuilder(aliceSessions, aliceIdentities, BobAddress).ProcessPreKeyBundleAsync(_bundle));
        var alice = new SessionCipher(aliceSessions, aliceIdentities, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, AliceAddress, BobAddress);
        var first = (PreKeySignalMessage)Run(alice.EncryptAsync(_plaintext64));
        var bob = new SessionCipher(new InMemorySessionStore(), _bobIdentityStore, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, BobAddress, AliceAddress);
        return Run(bob.DecryptAsync(first));
    }

    [Benchmark]
    public CiphertextMessage Encrypt64() => Run(_frozenAlice.EncryptAsync(_plaintext64));

    [Benchmark]
    public CiphertextMessage Encrypt1KiB() => Run(_frozenAlice.EncryptAsync(_plaintext1k));

    [Benchmark]
    public byte[] Decrypt64() => Run(_frozenBob.DecryptAsync(_message64));

    [Benchmark]
    public byte[] Decrypt1KiB() => Run(_frozenBob.DecryptAsync(_message1k));

    /// <summary>A → B then B → A, 64 B each, on live stores: every message carries a new ratchet key.</summary>
    [Benchmark]
    public byte[] RoundTrip64()
    {
        Run(_pingBob.DecryptAsync((SignalMessage)Run(_pingAlice.EncryptAsync(_plaintext64))));
        return Run(_pingAlice.DecryptAsync((SignalMessage)Run(_pingBob.EncryptAsync(_plaintext64))));
    }

    private (SessionCipher Alice, SessionCipher Bob, InMemorySessionStore AliceSessions, InMemorySessionStore BobSessions) Establish()
    {
        var aliceSessions = new InMemorySessionStore();
        var bobSessions = new InMemorySessionStore();
        var aliceIdentities = new InMemoryIdentityKeyStore(_aliceIdentity, 1);
        Run(new SessionBuilder(aliceSessions, aliceIdentities, BobAddress).ProcessPreKeyBundleAsync(_bundle));
        var alice = new SessionCipher(aliceSessions, aliceIdentities, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, AliceAddress, BobAddress);
        var bob = new SessionCipher(bobSessions, _bobIdentityStore, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, BobAddress, AliceAddress);
        Run(bob.DecryptAsync((PreKeySignalMessage)Run(alice.EncryptAsync(_plaintext64))));
        Run(alice.DecryptAsync((SignalMessage)Run(bob.EncryptAsync(_plaintext64))));
        return (alice, bob, aliceSessions, bobSessions);
    }

    private static T Run<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private static void Run(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Always returns a copy of the same record and discards writes.</summary>
    private sealed class FrozenSessionStore(SessionRecord record) : ISessionStore
    {
        public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => ValueTask.FromResult<SessionRecord?>(record.Clone());

        public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<int>>([1]);

    }
}
