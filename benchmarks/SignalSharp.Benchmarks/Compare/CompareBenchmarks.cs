using System.Text;
using BenchmarkDotNet.Attributes;
using SignalSharp;
using SignalSharp.Fingerprints;
using SignalSharp.Groups;

namespace SignalSharp.Benchmarks.Compare;

/// <summary>
/// SignalSharp's side of benchmarks/compare: the same workloads as benchmarks/node/libsignal-workloads.mjs, on
/// live in-memory stores. One-way and group operations run on long-lived sessions (encrypt: the sender's chain
/// advances; decrypt: messages produced before each iteration, outside the timing, are received in order);
/// round trips alternate direction so every message carries a new ratchet key and SPQR epochs advance.
/// Session setup: bundle without a one-time pre-key, last-resort Kyber1024 pre-key, fresh session stores.
/// </summary>
[MemoryDiagnoser]
public partial class CompareBenchmarks
{
    /// <summary>Messages each decrypt iteration consumes at most (the host sets it to its invocation count).</summary>
    public static int Batch { get; set; } = 1000;

    private static readonly ProtocolAddress AliceAddress = new("alice", 1);
    private static readonly ProtocolAddress BobAddress = new("bob", 1);
    private static readonly Guid Distribution = Guid.Parse("0f0f0f0f-0000-4000-8000-000000000000");
    private readonly byte[] _plaintext64 = new byte[64];
    private readonly byte[] _plaintext1k = new byte[1024];
    private readonly byte[] _localId = Encoding.UTF8.GetBytes("+14152222222");
    private readonly byte[] _remoteId = Encoding.UTF8.GetBytes("+14153333333");
    private readonly NumericFingerprintGenerator _fingerprints = new();

    private IdentityKeyPair _aliceIdentity = null!;
    private IdentityKeyPair _bobIdentity = null!;
    private InMemoryIdentityKeyStore _bobIdentityStore = null!;
    private InMemorySignedPreKeyStore _bobSignedPreKeys = null!;
    private InMemoryKyberPreKeyStore _bobKyberPreKeys = null!;
    private InMemoryPreKeyStore _bobPreKeys = null!;
    private PreKeyBundle _bundle = null!;

    private Pair _encrypt64 = null!;
    private Pair _encrypt1k = null!;
    private Pair _decrypt64 = null!;
    private Pair _decrypt1k = null!;
    private Pair _roundTrip = null!;
    private readonly Queue<byte[]> _inbox = new();

    private (GroupCipher Sender, GroupCipher Receiver) _groupEncrypt64;
    private (GroupCipher Sender, GroupCipher Receiver) _groupEncrypt1k;
    private (GroupCipher Sender, GroupCipher Receiver) _groupDecrypt64;
    private (GroupCipher Sender, GroupCipher Receiver) _groupDecrypt1k;

    [GlobalSetup]
    public void Setup()
    {
        _aliceIdentity = IdentityKeyPair.Generate();
        _bobIdentity = IdentityKeyPair.Generate();
        _bobIdentityStore = new InMemoryIdentityKeyStore(_bobIdentity, 2);
        _bobSignedPreKeys = new InMemorySignedPreKeyStore();
        _bobKyberPreKeys = new InMemoryKyberPreKeyStore();
        _bobPreKeys = new InMemoryPreKeyStore();
        using var signed = KeyHelper.GenerateSignedPreKey(_bobIdentity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(_bobIdentity, 1, 0);
        Sync.Run(_bobSignedPreKeys.StoreSignedPreKeyAsync(1, signed));
        Sync.Run(_bobKyberPreKeys.StoreKyberPreKeyAsync(1, kyber));
        _bundle = new PreKeyBundle(2, 1, null, null, 1, signed.PublicKey, signed.Signature, _bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);

        _encrypt64 = Establish();
        _encrypt1k = Establish();
        _decrypt64 = Establish();
        _decrypt1k = Establish();
        _roundTrip = Establish();
        _groupEncrypt64 = GroupPair();
        _groupEncrypt1k = GroupPair();
        _groupDecrypt64 = GroupPair();
        _groupDecrypt1k = GroupPair();
    }

    [Benchmark]
    public byte[] SessionSetup() => SetupOnce();

    [Benchmark]
    public CiphertextMessage Encrypt64() => Sync.Run(_encrypt64.Alice.EncryptAsync(_plaintext64));

    [Benchmark]
    public CiphertextMessage Encrypt1k() => Sync.Run(_encrypt1k.Alice.EncryptAsync(_plaintext1k));

    [IterationSetup(Target = nameof(Decrypt64))]
    public void FillDecrypt64() => Fill(() => Sync.Run(_decrypt64.Alice.EncryptAsync(_plaintext64)).Serialize());

    [Benchmark]
    public byte[] Decrypt64() => Sync.Run(_decrypt64.Bob.DecryptAsync(SignalMessage.Deserialize(_inbox.Dequeue())));

    [IterationSetup(Target = nameof(Decrypt1k))]
    public void FillDecrypt1k() => Fill(() => Sync.Run(_decrypt1k.Alice.EncryptAsync(_plaintext1k)).Serialize());

    [Benchmark]
    public byte[] Decrypt1k() => Sync.Run(_decrypt1k.Bob.DecryptAsync(SignalMessage.Deserialize(_inbox.Dequeue())));

    /// <summary>A → B then B → A, 64 B each: a DH ratchet step on every message.</summary>
    [Benchmark]
    public byte[] RoundTrip()
    {
        var ab = Sync.Run(_roundTrip.Alice.EncryptAsync(_plaintext64)).Serialize();
        Sync.Run(_roundTrip.Bob.DecryptAsync(SignalMessage.Deserialize(ab)));
        var ba = Sync.Run(_roundTrip.Bob.EncryptAsync(_plaintext64)).Serialize();
        return Sync.Run(_roundTrip.Alice.DecryptAsync(SignalMessage.Deserialize(ba)));
    }

    [Benchmark]
    public byte[] GroupEncrypt64() => Sync.Run(_groupEncrypt64.Sender.EncryptAsync(AliceAddress, Distribution, _plaintext64)).Serialize();

    [Benchmark]
    public byte[] GroupEncrypt1k() => Sync.Run(_groupEncrypt1k.Sender.EncryptAsync(AliceAddress, Distribution, _plaintext1k)).Serialize();

    [IterationSetup(Target = nameof(GroupDecrypt64))]
    public void FillGroupDecrypt64() => Fill(() => Sync.Run(_groupDecrypt64.Sender.EncryptAsync(AliceAddress, Distribution, _plaintext64)).Serialize());

    [Benchmark]
    public byte[] GroupDecrypt64() => Sync.Run(_groupDecrypt64.Receiver.DecryptAsync(AliceAddress, _inbox.Dequeue()));

    [IterationSetup(Target = nameof(GroupDecrypt1k))]
    public void FillGroupDecrypt1k() => Fill(() => Sync.Run(_groupDecrypt1k.Sender.EncryptAsync(AliceAddress, Distribution, _plaintext1k)).Serialize());

    [Benchmark]
    public byte[] GroupDecrypt1k() => Sync.Run(_groupDecrypt1k.Receiver.DecryptAsync(AliceAddress, _inbox.Dequeue()));

    [Benchmark]
    public string SafetyNumber()
        => _fingerprints.CreateFor(2, _localId, _aliceIdentity.IdentityKey, _remoteId, _bobIdentity.IdentityKey).DisplayableFingerprint.DisplayText;

    private void Fill(Func<byte[]> produce)
    {
        while (_inbox.Count < Batch)
        {
            _inbox.Enqueue(produce());
        }
    }

    private byte[] SetupOnce()
    {
        var aliceSessions = new InMemorySessionStore();
        var aliceIdentities = new InMemoryIdentityKeyStore(_aliceIdentity, 1);
        Sync.Run(new SessionBuilder(aliceSessions, aliceIdentities, BobAddress).ProcessPreKeyBundleAsync(_bundle));
        var alice = new SessionCipher(aliceSessions, aliceIdentities, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, AliceAddress, BobAddress);
        var first = Sync.Run(alice.EncryptAsync(_plaintext64)).Serialize();
        var bob = new SessionCipher(new InMemorySessionStore(), _bobIdentityStore, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, BobAddress, AliceAddress);
        return Sync.Run(bob.DecryptAsync(PreKeySignalMessage.Deserialize(first)));
    }

    /// <summary>An answered session plus one more message on Alice's chain that Bob has read (steady one-way traffic).</summary>
    private Pair Establish()
    {
        var aliceSessions = new InMemorySessionStore();
        var aliceIdentities = new InMemoryIdentityKeyStore(_aliceIdentity, 1);
        Sync.Run(new SessionBuilder(aliceSessions, aliceIdentities, BobAddress).ProcessPreKeyBundleAsync(_bundle));
        var alice = new SessionCipher(aliceSessions, aliceIdentities, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, AliceAddress, BobAddress);
        var bob = new SessionCipher(new InMemorySessionStore(), _bobIdentityStore, _bobPreKeys, _bobSignedPreKeys, _bobKyberPreKeys, BobAddress, AliceAddress);
        Sync.Run(bob.DecryptAsync((PreKeySignalMessage)Sync.Run(alice.EncryptAsync(_plaintext64))));
        Sync.Run(alice.DecryptAsync((SignalMessage)Sync.Run(bob.EncryptAsync(_plaintext64))));
        Sync.Run(bob.DecryptAsync((SignalMessage)Sync.Run(alice.EncryptAsync(_plaintext64))));
        return new Pair(alice, bob);
    }

    private static (GroupCipher Sender, GroupCipher Receiver) GroupPair()
    {
        var sender = new GroupCipher(new InMemorySenderKeyStore());
        var receiver = new GroupCipher(new InMemorySenderKeyStore());
        var skdm = Sync.Run(sender.CreateDistributionMessageAsync(AliceAddress, Distribution));
        Sync.Run(receiver.ProcessDistributionMessageAsync(AliceAddress, skdm.Serialize()));
        return (sender, receiver);
    }

    private sealed record Pair(SessionCipher Alice, SessionCipher Bob);
}
