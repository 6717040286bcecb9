using SignalSharp.SealedSender;

namespace SignalSharp.Fuzz;

/// <summary>
/// The sealed-sender part of the fixture, built once per process from <see cref="SeededRandom"/> on top of
/// <see cref="FuzzWorld"/>'s identities and Bob's pre-keys: a trust root, a server certificate and Alice's sender
/// certificate; Alice seals a PreKey message to Bob (v1), they exchange a reply, and Alice sends sealed whisper
/// messages (v1 and v2) that Bob has not read, plus a v2 message to Bob and Carol with an excluded recipient. Sealed
/// sender v2 names recipients by ServiceId, so the addresses here are UUIDs (FuzzWorld's are "alice"/"bob").
/// </summary>
public sealed class SealedWorld
{
    private static readonly Lazy<SealedWorld> Shared = new(() => new SealedWorld());

    public static readonly ProtocolAddress Alice = new("a11ce000-0000-4000-8000-000000000001", 1);
    public static readonly ProtocolAddress Bob = new("b0b00000-0000-4000-8000-000000000002", 1);
    public static readonly ProtocolAddress Carol = new("ca201000-0000-4000-8000-000000000003", 1);
    public const string ExcludedRecipient = "PNI:e8c10ded-0000-4000-8000-000000000004";

    /// <summary>Sender certificates expire a year after <see cref="FuzzWorld.Timestamp"/>; the targets validate at the timestamp.</summary>
    public const ulong Expiration = FuzzWorld.Timestamp + 365UL * 24 * 3600 * 1000;

    private SealedWorld()
    {
        var world = FuzzWorld.Instance;
        var random = new SeededRandom(11);
        TrustRoot = EcPrivateKey.Generate(random);
        using var serverKey = EcPrivateKey.Generate(random);
        ServerCertificate = ServerCertificate.Create(TrustRoot, 7, serverKey.PublicKey, random);
        SenderCertificate = SenderCertificate.Create(Alice.Name, "+15550100", Alice.DeviceId, world.AliceIdentity.IdentityKey, Expiration, ServerCertificate, serverKey, random);

        var aliceStore = new InMemorySignalProtocolStore(world.AliceIdentity, 1717);
        var bobStore = NewBobStore(session: null);
        using var signed = SignedPreKeyRecord.Deserialize(world.BobSignedPreKeyRecord);
        using var kyber = KyberPreKeyRecord.Deserialize(world.BobKyberPreKeyRecord);
        using var oneTime = PreKeyRecord.Deserialize(world.BobPreKeyRecords[2]);
        Sync.Wait(new SessionBuilder(aliceStore, Bob, random: random).ProcessPreKeyBundleAsync(PreKeyBundle.FromRecords(
            world.BobIdentity.IdentityKey, world.BobRegistrationId, Bob.DeviceId, signed, kyber, oneTime)));

        var carolIdentity = IdentityKeyPair.Generate(random);
        using var carolSigned = KeyHelper.GenerateSignedPreKey(carolIdentity, 1, FuzzWorld.Timestamp, random);
        using var carolKyber = KeyHelper.GenerateLastResortKyberPreKey(carolIdentity, 1, FuzzWorld.Timestamp, random);
        Sync.Wait(new SessionBuilder(aliceStore, Carol, random: random).ProcessPreKeyBundleAsync(PreKeyBundle.FromRecords(
            carolIdentity.IdentityKey, 77, Carol.DeviceId, carolSigned, carolKyber)));

        using var aliceSealed = new SealedSessionCipher(aliceStore, Alice, random: random);
        using var bobSealed = new SealedSessionCipher(bobStore, Bob, random: random);
        byte[] Seal(string text) => Sync.Wait(aliceSealed.EncryptAsync(Bob, SenderCertificate, System.Text.Encoding.UTF8.GetBytes(text)));

        // The first envelope carries a PreKey message and starts Bob's session; Bob answers so Alice's next
        // messages are whisper messages.
        byte[] first = Seal("hello bob, sealed");
        Sync.Wait(bobSealed.DecryptAsync(first, TrustRoot.PublicKey, FuzzWorld.Timestamp));
        var reply = Sync.Wait(new SessionCipher(bobStore, Bob, Alice, random: random).EncryptAsync("hello alice"u8.ToArray()));
        Sync.Wait(new SessionCipher(aliceStore, Alice, Bob, random: random).DecryptAsync(SignalMessage.Deserialize(reply.Serialize())));
        BobSessionRecord = Sync.Wait(bobStore.LoadSessionAsync(Alice))!.Serialize();

        // Unread by Bob: two v1 envelopes (the second skips a key) and a v2 ReceivedMessage, each over a whisper
        // message, and a v1 envelope over a retry receipt (plaintext content, which Bob opens but does not decrypt).
        byte[] v1a = Seal("one");
        _ = Seal("two (never delivered)");
        byte[] v1b = Seal(new string('x', 200));
        var inner = Sync.Wait(new SessionCipher(aliceStore, Alice, Bob, random: random).EncryptAsync("via v2"u8.ToArray()));
        var whisperContent = new UnidentifiedSenderMessageContent(inner.Type, SenderCertificate, inner.Serialize());
        byte[] sentToBob = Sync.Wait(aliceSealed.MultiRecipientEncryptAsync([Bob], whisperContent));
        var parsed = SealedSenderMultiRecipientMessage.Parse(sentToBob);
        byte[] v2 = parsed.MessageFor(parsed.Recipients[0]);

        var receipt = PlaintextContent.From(DecryptionErrorMessage.ForOriginal(inner.Serialize(), CiphertextMessageType.Whisper, FuzzWorld.Timestamp, 1));
        var receiptContent = new UnidentifiedSenderMessageContent(CiphertextMessageType.Plaintext, SenderCertificate, receipt.Serialize(), ContentHint.Implicit);
        byte[] v1Receipt = Sync.Wait(aliceSealed.EncryptAsync(Bob, receiptContent));

        // A group-style send: one shared content to Bob and Carol, with an excluded recipient.
        var groupContent = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, SenderCertificate, world.GroupMessages[0], ContentHint.Resendable, FuzzWorld.DistributionId.ToByteArray());
        byte[] sentToGroup = Sync.Wait(aliceSealed.MultiRecipientEncryptAsync([Bob, Carol], groupContent, [ExcludedRecipient]));
        var parsedGroup = SealedSenderMultiRecipientMessage.Parse(sentToGroup);
        byte[] v2Group = parsedGroup.MessageFor(parsedGroup.Recipients[0]);

        V1Messages = [first, v1a, v1b, v1Receipt];
        V2ReceivedMessages = [v2, v2Group];
        V2SentMessages = [sentToBob, sentToGroup];
        Contents = [whisperContent.Serialize(), receiptContent.Serialize(), groupContent.Serialize(), new UnidentifiedSenderMessageContent(CiphertextMessageType.PreKey, SenderCertificate, world.PreKeySignalMessages[2]).Serialize()];
        DecryptionErrorMessages =
        [
            receipt.DecryptionErrorMessage().Serialize(),
            DecryptionErrorMessage.ForOriginal(world.PreKeySignalMessages[1], CiphertextMessageType.PreKey, FuzzWorld.Timestamp, 1).Serialize(),
            DecryptionErrorMessage.ForOriginal(world.GroupMessages[0], CiphertextMessageType.SenderKey, FuzzWorld.Timestamp, 2).Serialize(),
        ];
        PlaintextContents = [receipt.Serialize()];
    }

    public static SealedWorld Instance => Shared.Value;

    /// <summary>The root the server certificate is signed with; receivers validate against its public key.</summary>
    public EcPrivateKey TrustRoot { get; }
    public ServerCertificate ServerCertificate { get; }
    /// <summary>Alice's certificate (UUID, phone number, device 1, her identity key), signed by the server certificate.</summary>
    public SenderCertificate SenderCertificate { get; }
    /// <summary>Bob's session with Alice after the first sealed exchange, before the unread envelopes.</summary>
    public byte[] BobSessionRecord { get; }
    /// <summary>v1 envelopes to Bob: the PreKey one he already read, two unread whisper ones, a retry receipt.</summary>
    public byte[][] V1Messages { get; }
    /// <summary>v2 ReceivedMessages for Bob: an unread whisper message, a group (sender-key) message.</summary>
    public byte[][] V2ReceivedMessages { get; }
    /// <summary>v2 SentMessages as a relay receives them: to Bob alone, to Bob and Carol with an excluded recipient.</summary>
    public byte[][] V2SentMessages { get; }
    /// <summary>Serialized UnidentifiedSenderMessageContent of each kind (whisper, plaintext, sender key).</summary>
    public byte[][] Contents { get; }
    public byte[][] DecryptionErrorMessages { get; }
    public byte[][] PlaintextContents { get; }

    /// <summary>Bob's store (his identity and pre-keys) with, unless <paramref name="session"/> is null, his session with Alice.</summary>
    public static InMemorySignalProtocolStore NewBobStore(SessionRecord? session)
    {
        var store = FuzzWorld.Instance.NewBobStore();
        if (session is not null)
        {
            Sync.Wait(store.SaveIdentityAsync(Alice, FuzzWorld.Instance.AliceIdentity.IdentityKey));
            Sync.Wait(store.StoreSessionAsync(Alice, session));
        }

        return store;
    }

    /// <summary>Bob's full receiving path on a fresh copy of his session: open, validate the certificate, decrypt.</summary>
    public void BobDecrypts(ReadOnlySpan<byte> envelope, int seed)
    {
        var store = NewBobStore(SessionRecord.Deserialize(BobSessionRecord));
        using var cipher = new SealedSessionCipher(store, Bob, random: new SeededRandom(seed));
        var content = Sync.Wait(cipher.OpenAsync(envelope.ToArray(), [TrustRoot.PublicKey], FuzzWorld.Timestamp));
        if (content.MessageType is CiphertextMessageType.Whisper or CiphertextMessageType.PreKey)
        {
            _ = Sync.Wait(cipher.DecryptContentAsync(content));
        }
        else if (content.MessageType == CiphertextMessageType.Plaintext)
        {
            _ = PlaintextContent.Deserialize(content.ContentSpan).DecryptionErrorMessage();
        }
    }
}
