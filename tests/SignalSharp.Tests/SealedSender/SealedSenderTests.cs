using System.Text;
using SignalSharp;
using SignalSharp.SealedSender;
using SignalSharp.Tests.Sessions;
using Xunit;

namespace SignalSharp.Tests.SealedSender;

/// <summary>Sealed sender v1/v2, certificates and the receiving order, SignalSharp with itself.</summary>
public class SealedSenderTests
{
    private const ulong Expiry = 1_900_000_000_000;

    private static readonly EcPrivateKey TrustRoot = EcPrivateKey.Generate();
    private static readonly EcPrivateKey ServerKey = EcPrivateKey.Generate();
    private static readonly ServerCertificate Server = ServerCertificate.Create(TrustRoot, 7, ServerKey.PublicKey);

    private static TestParty NewParty(int device = 1, IdentityKeyPair? identity = null, string? name = null) => new(name ?? Guid.NewGuid().ToString(), device, identity);

    private static SenderCertificate CertificateOf(TestParty party, ulong expiry = Expiry, ServerCertificate? server = null, EcPrivateKey? serverKey = null, string? e164 = null)
        => SenderCertificate.Create(party.Address.Name, e164, party.Address.DeviceId, party.Identity.IdentityKey, expiry, server ?? Server, serverKey ?? ServerKey);

    private static SealedSessionCipher Sealed(TestParty party) => new(party.Store, party.Address, party.Clock);

    [Fact]
    public void TestTrustRootIsThePublicKeyOfTheZeroPrivateKeyAndTheTestCertificateValidatesUnderIt()
    {
        Assert.Equal("BS/lfaNHzWJDFSjarF+7KQcw//aEr8TPwu2QmV9Yyzt0", Convert.ToBase64String(KnownServerCertificates.TestTrustRoot.Serialize()));
        var test = KnownServerCertificates.Find(KnownServerCertificates.TestCertificateId)!;
        Assert.True(test.IsSignedBy(KnownServerCertificates.TestTrustRoot));
        Assert.Null(KnownServerCertificates.Find(3));
    }

    [Fact]
    public async Task V1RoundTripCarriesTheCertifiedSenderAndStartsTheSessionFromAPreKeyMessage()
    {
        var alice = NewParty(2);
        var bob = NewParty();
        await alice.StartSessionWithAsync(bob);
        byte[] envelope = await Sealed(alice).EncryptAsync(bob.Address, CertificateOf(alice, e164: "+15550001"), "hi bob"u8.ToArray(), ContentHint.Resendable, "group"u8.ToArray());
        Assert.Equal(0x11, envelope[0]);

        var result = await Sealed(bob).DecryptAsync(envelope, TrustRoot.PublicKey, Expiry);
        Assert.Equal("hi bob", Encoding.UTF8.GetString(result.Plaintext));
        Assert.Equal(alice.Address.Name, result.SenderUuid);
        Assert.Equal("+15550001", result.SenderE164);
        Assert.Equal(2, result.SenderDeviceId);
        Assert.Equal(ContentHint.Resendable, result.ContentHint);
        Assert.Equal("group"u8.ToArray(), result.GroupId);

        // No replay protection in the envelope: the inner message is the duplicate.
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await Sealed(bob).DecryptAsync(envelope, TrustRoot.PublicKey, Expiry));
    }

    [Fact]
    public async Task EveryFailureBeforeTheInnerMessageLeavesTheStoresUntouched()
    {
        var alice = NewParty();
        var bob = NewParty();
        await alice.StartSessionWithAsync(bob);
        var otherRoot = EcPrivateKey.Generate();

        async Task ExpectUntouched<T>(byte[] envelope, EcPublicKey root, ulong time, string? localE164 = null)
            where T : Exception
        {
            await Assert.ThrowsAsync<T>(async () => await Sealed(bob).DecryptAsync(envelope, root, time, localE164));
            Assert.Null(await bob.Store.LoadSessionAsync(alice.Address));
            Assert.NotNull(await bob.Store.LoadPreKeyAsync(1));
            Assert.Null(await bob.Store.GetIdentityAsync(alice.Address));
        }

        // Each envelope is a PreKey message that would create the session and consume pre-key 1.
        var cipher = Sealed(alice);
        byte[] Seal(SenderCertificate certificate) => cipher.EncryptAsync(bob.Address, certificate, "x"u8.ToArray()).AsTask().Result;

        await ExpectUntouched<InvalidCertificateException>(Seal(CertificateOf(alice, Expiry)), TrustRoot.PublicKey, Expiry + 1);
        await ExpectUntouched<InvalidCertificateException>(Seal(CertificateOf(alice)), otherRoot.PublicKey, Expiry);
        var revoked = ServerCertificate.Create(TrustRoot, ServerCertificate.RevokedKeyId, ServerKey.PublicKey);
        await ExpectUntouched<InvalidCertificateException>(Seal(CertificateOf(alice, server: revoked)), TrustRoot.PublicKey, Expiry);
        await ExpectUntouched<InvalidCertificateException>(Seal(CertificateOf(alice, serverKey: EcPrivateKey.Generate())), TrustRoot.PublicKey, Expiry);

        byte[] tampered = Seal(CertificateOf(alice));
        tampered[^3] ^= 1;
        await ExpectUntouched<InvalidSealedSenderMessageException>(tampered, TrustRoot.PublicKey, Expiry);
        await ExpectUntouched<InvalidSealedSenderMessageException>([], TrustRoot.PublicKey, Expiry);
        await ExpectUntouched<InvalidSealedSenderMessageException>([0x31, 1, 2], TrustRoot.PublicKey, Expiry);

        // A certificate naming another identity key than the one that sealed: an envelope error, before validation.
        var mallory = NewParty();
        var forged = SenderCertificate.Create(alice.Address.Name, null, 1, mallory.Identity.IdentityKey, Expiry, Server, ServerKey);
        var forgedContent = new UnidentifiedSenderMessageContent(CiphertextMessageType.Whisper, forged, [1, 2, 3]);
        var forgedEnvelope = await Sealed(alice).EncryptAsync(bob.Address, forgedContent);
        var error = await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(async () => await Sealed(bob).DecryptAsync(forgedEnvelope, otherRoot.PublicKey, Expiry));
        Assert.Contains("does not match message key", error.Message);

        // Still fine afterwards: valid exactly at expiry.
        var ok = await Sealed(bob).DecryptAsync(Seal(CertificateOf(alice)), TrustRoot.PublicKey, Expiry);
        Assert.Equal("x", Encoding.UTF8.GetString(ok.Plaintext));
    }

    [Fact]
    public async Task OneReceivingCipherRemembersOnlyTheSignatureChecksNeverTheExpiryOrTheRoots()
    {
        var alice = NewParty();
        var bob = NewParty();
        await alice.StartSessionWithAsync(bob);
        using var sender = Sealed(alice);
        using var receiver = Sealed(bob);
        var certificate = CertificateOf(alice);
        Assert.Equal("1", Encoding.UTF8.GetString((await receiver.DecryptAsync(await sender.EncryptAsync(bob.Address, certificate, "1"u8.ToArray()), TrustRoot.PublicKey, Expiry)).Plaintext));

        // The same certificate on the same cipher: still expired one millisecond later, still bound to its root.
        byte[] next = await sender.EncryptAsync(bob.Address, certificate, "2"u8.ToArray());
        await Assert.ThrowsAsync<InvalidCertificateException>(async () => await receiver.DecryptAsync(next, TrustRoot.PublicKey, Expiry + 1));
        await Assert.ThrowsAsync<InvalidCertificateException>(async () => await receiver.DecryptAsync(next, EcPrivateKey.Generate().PublicKey, Expiry));
        Assert.Equal("2", Encoding.UTF8.GetString((await receiver.DecryptAsync(next, TrustRoot.PublicKey, Expiry)).Plaintext));

        // A certificate with the same fields but a bad signature is checked afresh.
        byte[] forged = certificate.Serialize();
        forged[^1] ^= 1;
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.Whisper, SenderCertificate.Deserialize(forged), [1]);
        byte[] forgedEnvelope = await sender.EncryptAsync(bob.Address, content);
        await Assert.ThrowsAsync<InvalidCertificateException>(async () => await receiver.DecryptAsync(forgedEnvelope, TrustRoot.PublicKey, Expiry));
    }

    [Fact]
    public async Task SelfSendIsRefusedForTheSameDeviceButNotForALinkedDevice()
    {
        var primary = NewParty(1);
        var linked = NewParty(2, primary.Identity, primary.Address.Name);
        await primary.StartSessionWithAsync(linked);
        byte[] toLinked = await Sealed(primary).EncryptAsync(linked.Address, CertificateOf(primary), "sync"u8.ToArray());
        Assert.Equal("sync", Encoding.UTF8.GetString((await Sealed(linked).DecryptAsync(toLinked, TrustRoot.PublicKey, Expiry)).Plaintext));

        // A certificate claiming the receiving device (same uuid and device) is a self-send.
        var selfCertificate = SenderCertificate.Create(linked.Address.Name, null, 2, primary.Identity.IdentityKey, Expiry, Server, ServerKey);
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.Whisper, selfCertificate, [1]);
        byte[] envelope = await Sealed(primary).EncryptAsync(linked.Address, content);
        await Assert.ThrowsAsync<SealedSenderSelfSendException>(async () => await Sealed(linked).DecryptAsync(envelope, TrustRoot.PublicKey, Expiry));

        // Same e164 and device, other uuid: also a self-send when the local e164 is given.
        var byPhone = SenderCertificate.Create(Guid.NewGuid().ToString(), "+1555", 2, primary.Identity.IdentityKey, Expiry, Server, ServerKey);
        envelope = await Sealed(primary).EncryptAsync(linked.Address, new UnidentifiedSenderMessageContent(CiphertextMessageType.Whisper, byPhone, [1]));
        await Assert.ThrowsAsync<SealedSenderSelfSendException>(async () => await Sealed(linked).DecryptAsync(envelope, TrustRoot.PublicKey, Expiry, "+1555"));
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await Sealed(linked).DecryptAsync(envelope, TrustRoot.PublicKey, Expiry, null));
    }

    [Fact]
    public async Task V2ToTwoUsersWithTwoDevicesEachIsSplitByTheServerAndOpenedByEveryDevice()
    {
        var alice = NewParty();
        var bob1 = NewParty(1);
        var bob2 = NewParty(2, bob1.Identity, bob1.Address.Name);
        var carol1 = NewParty(1);
        var carol3 = NewParty(3, carol1.Identity, carol1.Address.Name);
        var devices = new[] { bob1, bob2, carol1, carol3 };
        foreach (var d in devices)
        {
            await alice.StartSessionWithAsync(d);
        }

        string excluded = "PNI:" + Guid.NewGuid();
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.Plaintext, CertificateOf(alice), "payload"u8, ContentHint.Implicit, "g"u8);
        byte[] sent = await Sealed(alice).MultiRecipientEncryptAsync([.. devices.Select(d => d.Address)], content, [excluded]);
        Assert.Equal(0x23, sent[0]);

        var parsed = SealedSenderMultiRecipientMessage.Parse(sent);
        Assert.Equal([bob1.Address.Name, carol1.Address.Name], parsed.Recipients.Select(r => r.ServiceId));
        Assert.Equal([1, 2], parsed.Recipients[0].DeviceIds);
        Assert.Equal([(int)bob1.RegistrationId, (int)bob2.RegistrationId], parsed.Recipients[0].RegistrationIds);
        Assert.Equal([1, 3], parsed.Recipients[1].DeviceIds);
        Assert.Equal([excluded], parsed.ExcludedRecipients);

        foreach (var (device, recipient) in new[] { (bob1, 0), (bob2, 0), (carol1, 1), (carol3, 1) })
        {
            byte[] received = parsed.MessageFor(parsed.Recipients[recipient]);
            var opened = await Sealed(device).OpenAsync(received, [EcPrivateKey.Generate().PublicKey, TrustRoot.PublicKey], Expiry);
            Assert.Equal("payload"u8.ToArray(), opened.Content);
            Assert.Equal(CiphertextMessageType.Plaintext, opened.MessageType);
            Assert.Equal(ContentHint.Implicit, opened.ContentHint);
        }

        // Another user's payload fails the ephemeral-key check.
        var wrong = await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(async () => await Sealed(bob1).DecryptToUsmcAsync(parsed.MessageFor(parsed.Recipients[1])));
        Assert.Contains("derived ephemeral key", wrong.Message);
    }

    [Fact]
    public async Task V2CarriesA1to1MessageThatDecryptsThroughTheSessions()
    {
        var alice = NewParty();
        var bob = NewParty();
        await alice.StartSessionWithAsync(bob);
        var inner = await alice.EncryptAsync(bob, "via v2");
        var content = new UnidentifiedSenderMessageContent(inner.Type, CertificateOf(alice), inner.Serialize());
        byte[] sent = await Sealed(alice).MultiRecipientEncryptAsync([bob.Address], content);
        var parsed = SealedSenderMultiRecipientMessage.Parse(sent);
        var result = await Sealed(bob).DecryptAsync(parsed.MessageFor(parsed.Recipients[0]), TrustRoot.PublicKey, Expiry);
        Assert.Equal("via v2", Encoding.UTF8.GetString(result.Plaintext));
    }

    public static TheoryData<string> MalformedSentMessages => new()
    {
        "",
        "24",
        "2301",
        // one ACI entry, device 1 reg 5, no C/AT
        "230100" + new string('a', 32) + "010005",
        // device id 0 inside a device list
        "230100" + new string('a', 32) + "018005000005" + new string('0', 96) + new string('0', 64),
        // device id 128
        "230100" + new string('a', 32) + "800005" + new string('0', 96) + new string('0', 64),
        // ServiceId kind 2
        "230102" + new string('a', 32) + "010005" + new string('0', 96) + new string('0', 64),
        // no room for E
        "230100" + new string('a', 32) + "010005" + new string('0', 96) + new string('0', 62),
        // the same ServiceId excluded and listed
        "230200" + new string('a', 32) + "00" + "00" + new string('a', 32) + "010005" + new string('0', 96) + new string('0', 64),
        "230200" + new string('a', 32) + "010005" + new string('0', 96) + "00" + new string('a', 32) + "00" + new string('0', 64),
    };

    [Theory]
    [MemberData(nameof(MalformedSentMessages))]
    public void TheServerParserRejectsMalformedSentMessages(string hex)
        => Assert.Throws<InvalidSealedSenderMessageException>(() => SealedSenderMultiRecipientMessage.Parse(Convert.FromHexString(hex)));

    [Fact]
    public void TheServerParserMergesARepeatedServiceIdAndIgnoresBit14()
    {
        string entry(string device) => "00" + new string('a', 32) + device;
        string hex = "2302" + entry("014005") + new string('1', 96) + entry("020007") + new string('2', 96) + new string('3', 64) + "ffee";
        var parsed = SealedSenderMultiRecipientMessage.Parse(Convert.FromHexString(hex));
        var recipient = Assert.Single(parsed.Recipients);
        Assert.Equal([1, 2], recipient.DeviceIds);
        Assert.Equal([5, 7], recipient.RegistrationIds);
        // A recipient of another parse is refused.
        var other = SealedSenderMultiRecipientMessage.Parse(Convert.FromHexString(hex));
        Assert.Throws<ArgumentException>(() => parsed.MessageFor(other.Recipients[0]));

        // The first entry's C/AT is used.
        Assert.Equal("22" + new string('1', 96) + new string('3', 64) + "ffee", Convert.ToHexStringLower(parsed.MessageFor(recipient)));
    }

    [Fact]
    public void CertificatesAreValidAtExpiryAndUnderAnyOfSeveralRootsButNeverUnderTheRevokedId()
    {
        var party = NewParty();
        var certificate = SenderCertificate.Deserialize(CertificateOf(party).Serialize());
        Assert.True(certificate.Validate(TrustRoot.PublicKey, Expiry));
        Assert.False(certificate.Validate(TrustRoot.PublicKey, Expiry + 1));
        Assert.True(certificate.Validate([EcPrivateKey.Generate().PublicKey, TrustRoot.PublicKey], 0));
        Assert.False(certificate.Validate([EcPrivateKey.Generate().PublicKey], 0));
        var revoked = ServerCertificate.Create(TrustRoot, ServerCertificate.RevokedKeyId, ServerKey.PublicKey);
        Assert.False(CertificateOf(party, server: revoked).Validate(TrustRoot.PublicKey, 0));
        Assert.Equal(party.Address.Name, certificate.SenderUuid);
        Assert.Equal(7u, certificate.Signer!.KeyId);
    }

    [Fact]
    public void MalformedCertificatesAreInvalidCertificateErrors()
    {
        var good = CertificateOf(NewParty()).Serialize();
        foreach (var bad in new[] { Array.Empty<byte>(), [0x0a], good[..^5], [0x0a, 0x00, 0x12, 0x00], [0x08, 0x80] })
        {
            Assert.Throws<InvalidCertificateException>(() => SenderCertificate.Deserialize(bad));
            Assert.Throws<InvalidCertificateException>(() => ServerCertificate.Deserialize(bad));
        }
    }

    [Fact]
    public void UsmcIsWrittenInLibsignalFieldOrderAndPreKeyIsWireTypeOne()
    {
        var certificate = CertificateOf(NewParty());
        var usmc = new UnidentifiedSenderMessageContent(CiphertextMessageType.PreKey, certificate, [9, 9], (ContentHint)7, [4]);
        byte[] bytes = usmc.Serialize();
        Assert.Equal([0x08, 0x01, 0x12], bytes[..3]);
        int certLength = certificate.Serialize().Length;
        int at = 3 + (certLength >= 128 ? 2 : 1) + certLength;
        Assert.Equal([0x1a, 0x02, 9, 9, 0x20, 7, 0x2a, 0x01, 4], bytes[at..]);
        var back = UnidentifiedSenderMessageContent.Deserialize(bytes);
        Assert.Equal(CiphertextMessageType.PreKey, back.MessageType);
        Assert.Equal((ContentHint)7, back.ContentHint);
        Assert.Null(new UnidentifiedSenderMessageContent(CiphertextMessageType.Whisper, certificate, [1]).GroupId);
    }

    [Fact]
    public void AlternateIdentitySignaturesVerifyOnlyInTheirDirection()
    {
        using var aci = IdentityKeyPair.Generate();
        using var pni = IdentityKeyPair.Generate();
        byte[] signature = pni.SignAlternateIdentity(aci.IdentityKey);
        Assert.True(pni.IdentityKey.VerifyAlternateIdentity(aci.IdentityKey, signature));
        Assert.False(aci.IdentityKey.VerifyAlternateIdentity(pni.IdentityKey, signature));
        Assert.False(pni.IdentityKey.VerifySignature(aci.IdentityKey.Serialize(), signature));
    }
}
