using SignalSharp;
using SignalSharp.Fingerprints;
using SignalSharp.Groups;

namespace SignalSharp.Fuzz;

/// <summary>
/// A fixed, deterministic conversation built once per process from <see cref="SeededRandom"/>: Alice and Bob complete a
/// PQXDH handshake and exchange messages, Alice starts a sender-key group. Targets that need live state (decrypting on a
/// session, a group message on a sender-key state) start every run from Bob's serialized snapshot, so a run never sees
/// another run's changes and every input replays to the same result. The messages Bob has not read yet are the seeds.
/// </summary>
public sealed class FuzzWorld
{
    private static readonly Lazy<FuzzWorld> Shared = new(() => new FuzzWorld());

    public static readonly ProtocolAddress Alice = new("alice", 1);
    public static readonly ProtocolAddress Bob = new("bob", 1);
    public static readonly Guid DistributionId = new("d1b7c0de-0000-4000-8000-000000000010");
    public const ulong Timestamp = 1_767_225_600_000;

    private FuzzWorld()
    {
        var random = new SeededRandom(10);
        AliceIdentity = IdentityKeyPair.Generate(random);
        BobIdentity = IdentityKeyPair.Generate(random);
        BobRegistrationId = 4242;
        var bobPreKeys = KeyHelper.GeneratePreKeys(1, 3, random);
        using var signed = KeyHelper.GenerateSignedPreKey(BobIdentity, 1, Timestamp, random);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(BobIdentity, 1, Timestamp, random);
        BobPreKeyRecords = bobPreKeys.Select(p => p.Serialize()).ToArray();
        BobSignedPreKeyRecord = signed.Serialize();
        BobKyberPreKeyRecord = kyber.Serialize();

        var bob = NewBobStore();
        var aliceStore = new InMemorySignalProtocolStore(AliceIdentity, 1717);
        PreKeyBundle Bundle(int oneTime) => new(
            BobRegistrationId, Bob.DeviceId, oneTime < 0 ? null : bobPreKeys[oneTime].Id, oneTime < 0 ? null : bobPreKeys[oneTime].PublicKey,
            signed.Id, signed.PublicKey, signed.Signature, BobIdentity.IdentityKey, kyber.Id, kyber.PublicKey, kyber.Signature);

        var alice = new SessionCipher(aliceStore, Alice, Bob, random: random);
        var bobCipher = new SessionCipher(bob, Bob, Alice, random: random);
        Sync.Wait(new SessionBuilder(aliceStore, Bob, random: random).ProcessPreKeyBundleAsync(Bundle(0)));
        var first = Sync.Wait(alice.EncryptAsync("hello bob"u8.ToArray()));
        Sync.Wait(bobCipher.DecryptAsync(PreKeySignalMessage.Deserialize(first.Serialize())));
        var reply = Sync.Wait(bobCipher.EncryptAsync("hello alice"u8.ToArray()));
        Sync.Wait(alice.DecryptAsync(SignalMessage.Deserialize(reply.Serialize())));

        // Unread by Bob: two in Alice's new sending chain (the second one skips a key), then fresh sessions
        // with and without a one-time pre-key.
        var unread = new List<byte[]> { first.Serialize() };
        var m1 = Sync.Wait(alice.EncryptAsync("one"u8.ToArray()));
        var m2 = Sync.Wait(alice.EncryptAsync("two (delivered late)"u8.ToArray()));
        var m3 = Sync.Wait(alice.EncryptAsync(new byte[300]));
        SignalMessages = [m1.Serialize(), m3.Serialize()];
        LateMessage = m2.Serialize();
        BobSessionRecord = Sync.Wait(bob.LoadSessionAsync(Alice))!.Serialize();

        // A copy of Bob that read m3 first, so his record holds skipped seeds (for m1 and m2).
        var ahead = NewBobStore(SessionRecord.Deserialize(BobSessionRecord));
        Sync.Wait(new SessionCipher(ahead, Bob, Alice, random: random).DecryptAsync(SignalMessage.Deserialize(m3.Serialize())));
        BobSessionRecordWithSkippedKeys = Sync.Wait(ahead.LoadSessionAsync(Alice))!.Serialize();

        Sync.Wait(new SessionBuilder(aliceStore, Bob, random: random).ProcessPreKeyBundleAsync(Bundle(1)));
        var fresh = Sync.Wait(alice.EncryptAsync("a new session"u8.ToArray()));
        Sync.Wait(new SessionBuilder(aliceStore, Bob, random: random).ProcessPreKeyBundleAsync(Bundle(-1)));
        var noOneTime = Sync.Wait(alice.EncryptAsync("no one-time pre-key"u8.ToArray()));
        PreKeySignalMessages = [first.Serialize(), fresh.Serialize(), noOneTime.Serialize()];
        foreach (var p in bobPreKeys)
        {
            p.Dispose();
        }

        // A group: Alice distributes her sender key, Bob processes it, then Alice sends three messages.
        using var aliceKeys = new InMemorySenderKeyStore();
        using var bobKeys = new InMemorySenderKeyStore();
        var aliceGroup = new GroupCipher(aliceKeys, random);
        var distribution = Sync.Wait(aliceGroup.CreateDistributionMessageAsync(Alice, DistributionId));
        Sync.Wait(new GroupCipher(bobKeys, random).ProcessDistributionMessageAsync(Alice, distribution.Serialize()));
        DistributionMessage = distribution.Serialize();
        BobSenderKeyRecord = Sync.Wait(bobKeys.LoadSenderKeyAsync(Alice, DistributionId))!.Serialize();
        GroupMessages = Enumerable.Range(0, 3)
            .Select(i => Sync.Wait(aliceGroup.EncryptAsync(Alice, DistributionId, new byte[i * 40 + 1])).Serialize())
            .ToArray();

        var fingerprint = new NumericFingerprintGenerator(NumericFingerprintGenerator.MinIterations)
            .CreateFor(2, "alice"u8, AliceIdentity.IdentityKey, "bob"u8, BobIdentity.IdentityKey);
        AliceScannableFingerprint = fingerprint.ScannableFingerprint;
        BobScannableFingerprint = new NumericFingerprintGenerator(NumericFingerprintGenerator.MinIterations)
            .CreateFor(2, "bob"u8, BobIdentity.IdentityKey, "alice"u8, AliceIdentity.IdentityKey).ScannableFingerprint.Serialize();
    }

    public static FuzzWorld Instance => Shared.Value;

    public IdentityKeyPair AliceIdentity { get; }
    public IdentityKeyPair BobIdentity { get; }
    public uint BobRegistrationId { get; }
    public byte[][] BobPreKeyRecords { get; }
    public byte[] BobSignedPreKeyRecord { get; }
    public byte[] BobKyberPreKeyRecord { get; }
    /// <summary>Bob's session with Alice after the first exchange, before the unread messages.</summary>
    public byte[] BobSessionRecord { get; }
    /// <summary>Bob's session after reading Alice's third message first: it holds the skipped seeds of the first two.</summary>
    public byte[] BobSessionRecordWithSkippedKeys { get; }
    /// <summary>Whisper messages Bob has not read (one key skipped between them).</summary>
    public byte[][] SignalMessages { get; }
    /// <summary>The message between the two in <see cref="SignalMessages"/>.</summary>
    public byte[] LateMessage { get; }
    /// <summary>PreKey messages: the one Bob already read, a new session with a one-time pre-key and one without.</summary>
    public byte[][] PreKeySignalMessages { get; }
    public byte[] DistributionMessage { get; }
    /// <summary>Bob's sender-key record for Alice's distribution, before any group message.</summary>
    public byte[] BobSenderKeyRecord { get; }
    public byte[][] GroupMessages { get; }
    public ScannableFingerprint AliceScannableFingerprint { get; }
    public byte[] BobScannableFingerprint { get; }

    /// <summary>Bob's store with his keys and, unless <paramref name="session"/> is empty, a session with Alice.</summary>
    public InMemorySignalProtocolStore NewBobStore(SessionRecord? session = null)
    {
        var store = new InMemorySignalProtocolStore(BobIdentity, BobRegistrationId);
        foreach (var bytes in BobPreKeyRecords)
        {
            var record = PreKeyRecord.Deserialize(bytes);
            Sync.Wait(store.StorePreKeyAsync(record.Id, record));
        }

        Sync.Wait(store.StoreSignedPreKeyAsync(1, SignedPreKeyRecord.Deserialize(BobSignedPreKeyRecord)));
        Sync.Wait(store.StoreKyberPreKeyAsync(1, KyberPreKeyRecord.Deserialize(BobKyberPreKeyRecord)));
        if (session is not null)
        {
            Sync.Wait(store.SaveIdentityAsync(Alice, AliceIdentity.IdentityKey));
            Sync.Wait(store.StoreSessionAsync(Alice, session));
        }

        return store;
    }
}
