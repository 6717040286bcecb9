using BenchmarkDotNet.Attributes;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.SealedSender;

namespace SignalSharp.Benchmarks.Compare;

/// <summary>
/// Sealed sender workloads (the same as benchmarks/node/libsignal-sealed-workloads.mjs): v1 encrypt of a 64 B
/// message on a live session (session encrypt + USMC + seal), v1 decrypt of such envelopes (open, validate,
/// inner decrypt), and v2 multi-recipient encrypt of a prepared 64 B group-message USMC to 1, 10, 100 and 1,000
/// devices, each device a different user (the worst case: one entry, two X25519 agreements per device).
/// </summary>
public partial class CompareBenchmarks
{
    private const ulong SealedNow = 1_800_000_000_000;
    private static readonly ProtocolAddress SealedAliceAddress = new("9d0652a3-dcc3-4d11-975f-74d61598733f", 1);
    private static readonly ProtocolAddress SealedBobAddress = new("6838237d-02f6-4098-b110-698253d15961", 1);

    private SealedSessionCipher _sealedEncryptAlice = null!;
    private SealedSessionCipher _sealedDecryptAlice = null!;
    private SealedSessionCipher _sealedDecryptBob = null!;
    private SenderCertificate _sealedCertificate = null!;
    private EcPublicKey _sealedTrustRoot = null!;
    private SealedSessionCipher _multiSender = null!;
    private ProtocolAddress[] _multiRecipients = [];
    private UnidentifiedSenderMessageContent _multiContent = null!;

    [GlobalSetup(Targets = [nameof(SealedEncrypt64), nameof(SealedDecrypt64)])]
    public void SealedSetup()
    {
        using var root = EcPrivateKey.Generate();
        using var serverKey = EcPrivateKey.Generate();
        _sealedTrustRoot = root.PublicKey;
        var alice = IdentityKeyPair.Generate();
        var server = ServerCertificate.Create(root, 1, serverKey.PublicKey);
        _sealedCertificate = SenderCertificate.Create(SealedAliceAddress.Name, null, 1, alice.IdentityKey, SealedNow + 86_400_000, server, serverKey);
        (_sealedEncryptAlice, _) = SealedPair(alice);
        (_sealedDecryptAlice, _sealedDecryptBob) = SealedPair(alice);
    }

    [Benchmark]
    public byte[] SealedEncrypt64() => Sync.Run(_sealedEncryptAlice.EncryptAsync(SealedBobAddress, _sealedCertificate, _plaintext64));

    [IterationSetup(Target = nameof(SealedDecrypt64))]
    public void FillSealedDecrypt64() => Fill(() => Sync.Run(_sealedDecryptAlice.EncryptAsync(SealedBobAddress, _sealedCertificate, _plaintext64)));

    [Benchmark]
    public byte[] SealedDecrypt64() => Sync.Run(_sealedDecryptBob.DecryptAsync(_inbox.Dequeue(), _sealedTrustRoot, SealedNow)).Plaintext;

    [GlobalSetup(Target = nameof(SealedV2Encrypt1))]
    public void SealedV2Setup1() => MultiSetup(1);

    [GlobalSetup(Target = nameof(SealedV2Encrypt10))]
    public void SealedV2Setup10() => MultiSetup(10);

    [GlobalSetup(Target = nameof(SealedV2Encrypt100))]
    public void SealedV2Setup100() => MultiSetup(100);

    [GlobalSetup(Target = nameof(SealedV2Encrypt1000))]
    public void SealedV2Setup1000() => MultiSetup(1000);

    [Benchmark]
    public byte[] SealedV2Encrypt1() => Sync.Run(_multiSender.MultiRecipientEncryptAsync(_multiRecipients, _multiContent));

    [Benchmark]
    public byte[] SealedV2Encrypt10() => Sync.Run(_multiSender.MultiRecipientEncryptAsync(_multiRecipients, _multiContent));

    [Benchmark]
    public byte[] SealedV2Encrypt100() => Sync.Run(_multiSender.MultiRecipientEncryptAsync(_multiRecipients, _multiContent));

    [Benchmark]
    public byte[] SealedV2Encrypt1000() => Sync.Run(_multiSender.MultiRecipientEncryptAsync(_multiRecipients, _multiContent));

    /// <summary>Alice and Bob with ServiceId names and an answered session, as the 1:1 pairs of <see cref="Establish"/>.</summary>
    private static (SealedSessionCipher Alice, SealedSessionCipher Bob) SealedPair(IdentityKeyPair aliceIdentity)
    {
        var bobIdentity = IdentityKeyPair.Generate();
        var aliceStore = new InMemorySignalProtocolStore(aliceIdentity, 1);
        var bobStore = new InMemorySignalProtocolStore(bobIdentity, 2);
        using var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, 0);
        Sync.Run(bobStore.StoreSignedPreKeyAsync(1, signed));
        Sync.Run(bobStore.StoreKyberPreKeyAsync(1, kyber));
        var bundle = new PreKeyBundle(2, 1, null, null, 1, signed.PublicKey, signed.Signature, bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
        Sync.Run(new SessionBuilder(aliceStore, SealedBobAddress).ProcessPreKeyBundleAsync(bundle));
        var alice = new SessionCipher(aliceStore, SealedAliceAddress, SealedBobAddress);
        var bob = new SessionCipher(bobStore, SealedBobAddress, SealedAliceAddress);
        Sync.Run(bob.DecryptAsync((PreKeySignalMessage)Sync.Run(alice.EncryptAsync(new byte[64]))));
        Sync.Run(alice.DecryptAsync((SignalMessage)Sync.Run(bob.EncryptAsync(new byte[64]))));
        Sync.Run(bob.DecryptAsync((SignalMessage)Sync.Run(alice.EncryptAsync(new byte[64]))));
        return (new SealedSessionCipher(aliceStore, SealedAliceAddress), new SealedSessionCipher(bobStore, SealedBobAddress));
    }

    /// <summary>A sender with sessions to <paramref name="devices"/> users (one device each) and a 64 B group-message USMC.</summary>
    private void MultiSetup(int devices)
    {
        using var root = EcPrivateKey.Generate();
        using var serverKey = EcPrivateKey.Generate();
        var alice = IdentityKeyPair.Generate();
        var store = new InMemorySignalProtocolStore(alice, 1);
        var server = ServerCertificate.Create(root, 1, serverKey.PublicKey);
        var certificate = SenderCertificate.Create(SealedAliceAddress.Name, null, 1, alice.IdentityKey, SealedNow, server, serverKey);
        var recipients = new ProtocolAddress[devices];
        for (int i = 0; i < devices; i++)
        {
            using var identity = IdentityKeyPair.Generate();
            using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 0);
            using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, 0);
            recipients[i] = new ProtocolAddress(new Guid(i + 1, 0, 0, [0x80, 0, 0, 0, 0, 0, 0, 1]).ToString(), 1);
            var bundle = new PreKeyBundle((uint)(i % 16000) + 1, 1, null, null, 1, signed.PublicKey, signed.Signature, identity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
            Sync.Run(new SessionBuilder(store, recipients[i]).ProcessPreKeyBundleAsync(bundle));
        }

        var group = new GroupCipher(new InMemorySenderKeyStore());
        Sync.Run(group.CreateDistributionMessageAsync(SealedAliceAddress, Distribution));
        var body = Sync.Run(group.EncryptAsync(SealedAliceAddress, Distribution, _plaintext64)).Serialize();
        _multiContent = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, certificate, body, ContentHint.Resendable, new byte[16]);
        _multiRecipients = recipients;
        _multiSender = new SealedSessionCipher(store, SealedAliceAddress);
        (_multiStore, _multiGroup, _multiCertificate) = (store, group, certificate);
    }
}
