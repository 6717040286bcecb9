using System.Text;
using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.TestSupport.Interop;
using Xunit;
using static SignalSharp.TestSupport.Interop.PairingHarness;

namespace SignalSharp.Tests.Interop;

/// <summary>
/// Sealed sender v1/v2, certificates, self-send, group messages inside sealed sender, retry receipts, service-id
/// address binding and PNI signatures between two driver processes, for every pairing of <see cref="InteropPairs"/>.
/// The test plays the server: it owns the trust root and gives each driver a server key, and each driver issues
/// the certificates of the clients it hosts.
/// </summary>
[Trait("Category", "Interop")]
public sealed class SealedSenderInteropTests
{
    private const ulong Expiry = 1_900_000_000_000;
    private const ulong Now = 1_800_000_000_000;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>The server side of one test: trust root, one server key per driver, certificates.</summary>
    private sealed class Server : IDisposable
    {
        private readonly EcPrivateKey _root = EcPrivateKey.Generate();
        private readonly Dictionary<InteropDriver, (byte[] Certificate, byte[] PrivateKey)> _keys = [];

        public byte[] TrustRoot => _root.PublicKey.Serialize();

        public byte[] ServerCertificateFor(InteropDriver driver, uint keyId = 1)
        {
            return Key(driver, keyId).Certificate;
        }

        public (byte[] Certificate, byte[] PrivateKey) Key(InteropDriver driver, uint keyId = 1)
        {
            if (keyId != 1 || !_keys.TryGetValue(driver, out var key))
            {
                using var serverKey = EcPrivateKey.Generate();
                key = (driver.ServerCertificate(_root.Serialize(), keyId, serverKey.PublicKey.Serialize()), serverKey.Serialize());
                if (keyId == 1)
                {
                    _keys[driver] = key;
                }
            }

            return key;
        }

        /// <summary>The certificate of <paramref name="peer"/>, issued by its own driver.</summary>
        public byte[] CertificateOf(InteropPeer peer, ulong expiry = Expiry, string? e164 = null, uint keyId = 1, string? uuid = null, int? device = null, byte[]? identityKey = null)
        {
            var (certificate, privateKey) = Key(peer.Driver, keyId);
            return peer.Driver.SenderCertificate(certificate, privateKey, uuid ?? peer.Address.Name, e164, device ?? peer.Address.Device, identityKey ?? peer.IdentityKey, expiry);
        }

        public void Dispose() => _root.Dispose();
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void SealedV1CarriesPreKeyAndWhisperMessagesBothWays(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        using var server = new Server();
        var alice = h.CreateLeft(device: 3);
        var bob = h.CreateRight();
        h.Handshake(alice, bob);

        for (int i = 0; i < 3; i++)
        {
            byte[] envelope = alice.Driver.SealedEncrypt(alice.Handle, bob.Address, server.CertificateOf(alice, e164: "+15550100"), Utf8($"to bob {i}"));
            var opened = bob.Driver.SealedDecrypt(bob.Handle, envelope, server.TrustRoot, Now);
            Assert.Equal($"to bob {i}", Encoding.UTF8.GetString(opened.Plaintext));
            Assert.Equal(alice.Address.Name, opened.SenderUuid);
            Assert.Equal("+15550100", opened.SenderE164);
            Assert.Equal(3, opened.SenderDevice);

            byte[] reply = bob.Driver.SealedEncrypt(bob.Handle, alice.Address, server.CertificateOf(bob), Utf8($"to alice {i}"));
            var back = alice.Driver.SealedDecrypt(alice.Handle, reply, server.TrustRoot, Now);
            Assert.Equal($"to alice {i}", Encoding.UTF8.GetString(back.Plaintext));
            Assert.Null(back.SenderE164);

            // No replay protection in the envelope: the inner message is the duplicate.
            DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => alice.Driver.SealedDecrypt(alice.Handle, reply, server.TrustRoot, Now));
        }
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void CertificateFailuresAreInvalidCertificateAndLeaveTheReceiverUntouched(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        using var server = new Server();
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Handshake(alice, bob);
        using var otherRoot = EcPrivateKey.Generate();

        // Each envelope carries the PreKey message that would create bob's session.
        byte[] certificate = server.CertificateOf(alice, expiry: Expiry);
        byte[] envelope = alice.Driver.SealedEncrypt(alice.Handle, bob.Address, certificate, Utf8("first"));
        DriverAssert.Fails(DriverErrorKind.InvalidCertificate, () => bob.Driver.SealedDecrypt(bob.Handle, envelope, server.TrustRoot, Expiry + 1));
        DriverAssert.Fails(DriverErrorKind.InvalidCertificate, () => bob.Driver.SealedDecrypt(bob.Handle, envelope, otherRoot.PublicKey.Serialize(), Now));
        Assert.False(bob.HasSessionWith(alice));

        byte[] revoked = server.CertificateOf(alice, keyId: 0xDEADC357);
        byte[] revokedEnvelope = alice.Driver.SealedEncrypt(alice.Handle, bob.Address, revoked, Utf8("revoked"));
        DriverAssert.Fails(DriverErrorKind.InvalidCertificate, () => bob.Driver.SealedDecrypt(bob.Handle, revokedEnvelope, server.TrustRoot, Now));
        Assert.False(bob.HasSessionWith(alice));

        // Valid at exactly the expiry: now the session is created.
        Assert.Equal("first", Encoding.UTF8.GetString(bob.Driver.SealedDecrypt(bob.Handle, envelope, server.TrustRoot, Expiry).Plaintext));
        Assert.True(bob.HasSessionWith(alice));

        // The validation op agrees on both sides, certificate by certificate.
        foreach (var validator in new[] { alice.Driver, bob.Driver })
        {
            Assert.True(validator.ValidateSenderCertificate(certificate, [server.TrustRoot], Expiry)["valid"]!.GetValue<bool>());
            Assert.False(validator.ValidateSenderCertificate(certificate, [server.TrustRoot], Expiry + 1)["valid"]!.GetValue<bool>());
            Assert.True(validator.ValidateSenderCertificate(certificate, [otherRoot.PublicKey.Serialize(), server.TrustRoot], 0)["valid"]!.GetValue<bool>());
            Assert.False(validator.ValidateSenderCertificate(certificate, [otherRoot.PublicKey.Serialize()], 0)["valid"]!.GetValue<bool>());
            Assert.False(validator.ValidateSenderCertificate(revoked, [server.TrustRoot], 0)["valid"]!.GetValue<bool>());
            byte[] badSignature = (byte[])certificate.Clone();
            badSignature[^5] ^= 0x01;
            Assert.False(validator.ValidateSenderCertificate(badSignature, [server.TrustRoot], 0)["valid"]!.GetValue<bool>());
            var fields = validator.ValidateSenderCertificate(certificate, [server.TrustRoot], 0);
            Assert.Equal(alice.Address.Name, fields["senderUuid"]!.GetValue<string>());
            Assert.Equal(1, fields["senderDevice"]!.GetValue<int>());
            Assert.Equal(Convert.ToBase64String(alice.IdentityKey), fields["identityKey"]!.GetValue<string>());
            Assert.Equal(Expiry, fields["expiration"]!.GetValue<ulong>());
            Assert.Equal(1, fields["serverKeyId"]!.GetValue<int>());
            DriverAssert.Fails(DriverErrorKind.InvalidCertificate, () => validator.ValidateSenderCertificate([0x0a, 0x05, 1], [server.TrustRoot], 0));
        }
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void BuiltInSignerIdsValidateOnlyForTheTestCertificate(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        using var sender = IdentityKeyPair.Generate();
        string uuid = NewUserName();
        byte[] test = CertificateWithSignerId(uuid, sender.IdentityKey, KnownTestId);
        byte[] unknown = CertificateWithSignerId(uuid, sender.IdentityKey, 0x1234);
        byte[] testRoot = Convert.FromBase64String("BS/lfaNHzWJDFSjarF+7KQcw//aEr8TPwu2QmV9Yyzt0");
        foreach (var driver in new[] { h.Left, h.Right })
        {
            var ok = driver.ValidateSenderCertificate(test, [testRoot], 0);
            Assert.True(ok["valid"]!.GetValue<bool>());
            Assert.Equal((long)KnownTestId, ok["serverKeyId"]!.GetValue<long>());
            var rejected = driver.ValidateSenderCertificate(unknown, [testRoot], 0);
            Assert.False(rejected["valid"]!.GetValue<bool>());
            Assert.Null(rejected["serverKey"]);
            Assert.Equal(uuid, rejected["senderUuid"]!.GetValue<string>());
        }
    }

    private const uint KnownTestId = 0x7357C357;

    /// <summary>A sender certificate naming its signer by id (field 8), signed with the test server key 0xFF×32.</summary>
    private static byte[] CertificateWithSignerId(string uuid, IdentityKey identity, uint signerId)
    {
        var inner = new List<byte>();
        inner.AddRange([0x10, 0x01]); // device 1
        inner.Add(0x19);
        inner.AddRange(BitConverter.GetBytes(Expiry)); // fixed64, little-endian
        AddBytes(inner, 4, identity.Serialize());
        AddBytes(inner, 6, Encoding.UTF8.GetBytes(uuid));
        inner.Add(0x40);
        AddVarint(inner, signerId);
        using var serverKey = EcPrivateKey.Deserialize(Enumerable.Repeat((byte)0xFF, 32).ToArray());
        byte[] certificate = [.. inner];
        var outer = new List<byte>();
        AddBytes(outer, 1, certificate);
        AddBytes(outer, 2, serverKey.CalculateSignature(certificate));
        return [.. outer];
    }

    private static void AddBytes(List<byte> to, int field, byte[] value)
    {
        to.Add((byte)((field << 3) | 2));
        AddVarint(to, (ulong)value.Length);
        to.AddRange(value);
    }

    private static void AddVarint(List<byte> to, ulong value)
    {
        while (value >= 0x80)
        {
            to.Add((byte)(value | 0x80));
            value >>= 7;
        }

        to.Add((byte)value);
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void ACertificateNamingTheReceivingDeviceIsASelfSendButALinkedDeviceIsNot(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        using var server = new Server();
        var sender = h.CreateLeft();
        var receiver = h.CreateRight(device: 2);
        sender.Driver.Trust(sender.Handle, receiver.Address.Name, receiver.IdentityKey);

        // Same uuid and device as the receiver (the sender's identity key, so the envelope opens).
        byte[] self = server.CertificateOf(sender, uuid: receiver.Address.Name, device: 2);
        byte[] content = sender.Driver.SealedContent(self, DriverCiphertext.Whisper, [1, 2, 3]);
        byte[] envelope = sender.Driver.SealedEncryptContent(sender.Handle, receiver.Address, content);
        DriverAssert.Fails(DriverErrorKind.SealedSenderSelfSend, () => receiver.Driver.SealedDecrypt(receiver.Handle, envelope, server.TrustRoot, Now));

        // Same e164 and device, other uuid: a self-send only when the receiver gives its e164.
        byte[] byPhone = server.CertificateOf(sender, e164: "+15550199", device: 2);
        envelope = sender.Driver.SealedEncryptContent(sender.Handle, receiver.Address, sender.Driver.SealedContent(byPhone, DriverCiphertext.Whisper, [1, 2, 3]));
        DriverAssert.Fails(DriverErrorKind.SealedSenderSelfSend, () => receiver.Driver.SealedDecrypt(receiver.Handle, envelope, server.TrustRoot, Now, "+15550199"));

        // Same uuid, other device (a linked device): past the self-send check, into the inner message (no session).
        byte[] linked = server.CertificateOf(sender, uuid: receiver.Address.Name, device: 1);
        envelope = sender.Driver.SealedEncryptContent(sender.Handle, receiver.Address, sender.Driver.SealedContent(linked, DriverCiphertext.Whisper, [1, 2, 3]));
        DriverAssert.FailsWithOneOf([DriverErrorKind.InvalidMessage, DriverErrorKind.NoSession], () => receiver.Driver.SealedDecrypt(receiver.Handle, envelope, server.TrustRoot, Now));
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void MalformedAndMisaddressedEnvelopesAreInvalidSealedSenderAndChangeNothing(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        using var server = new Server();
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        var carol = h.CreateRight();
        h.Handshake(alice, bob);
        h.Handshake(alice, carol);
        byte[] envelope = alice.Driver.SealedEncrypt(alice.Handle, bob.Address, server.CertificateOf(alice), Utf8("for bob"));

        // Wrong recipient, flipped bits, truncation, unknown version, empty.
        DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => carol.Driver.SealedDecrypt(carol.Handle, envelope, server.TrustRoot, Now));
        DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => carol.Driver.SealedDecryptToUsmc(carol.Handle, envelope));
        foreach (int offset in new[] { 5, 40, envelope.Length / 2, envelope.Length - 2 })
        {
            DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => bob.Driver.SealedDecrypt(bob.Handle, Tamper(envelope, offset), server.TrustRoot, Now));
        }

        DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => bob.Driver.SealedDecrypt(bob.Handle, envelope[..^20], server.TrustRoot, Now));
        DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => bob.Driver.SealedDecrypt(bob.Handle, [0x31, .. envelope[1..]], server.TrustRoot, Now));
        DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => bob.Driver.SealedDecrypt(bob.Handle, [], server.TrustRoot, Now));
        DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => bob.Driver.SealedDecrypt(bob.Handle, new byte[80], server.TrustRoot, Now));
        Assert.False(bob.HasSessionWith(alice));

        // A certificate whose identity key is not the key that sealed: an envelope error, not a certificate error.
        byte[] forged = server.CertificateOf(alice, identityKey: carol.IdentityKey);
        alice.Driver.Trust(alice.Handle, bob.Address.Name, bob.IdentityKey);
        byte[] forgedEnvelope = alice.Driver.SealedEncryptContent(alice.Handle, bob.Address, alice.Driver.SealedContent(forged, DriverCiphertext.Whisper, [1]));
        DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => bob.Driver.SealedDecrypt(bob.Handle, forgedEnvelope, server.TrustRoot, Now));

        // Malformed SentMessages on the server side.
        foreach (var driver in new[] { h.Left, h.Right })
        {
            foreach (byte[] bad in new[] { [], new byte[] { 0x23 }, [0x24, 0], [0x23, 1, 0], [0x23, 5, 0, 1, 2] })
            {
                DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => driver.SealedMultiSplit(bad));
            }
        }

        Assert.Equal("for bob", Encoding.UTF8.GetString(bob.Driver.SealedDecrypt(bob.Handle, envelope, server.TrustRoot, Now).Plaintext));
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void SealedV2GroupMessageIsSplitIdenticallyAndOpenedByEveryDevice(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        using var server = new Server();
        var alice = h.CreateLeft();
        var bob1 = h.CreateRight(device: 1);
        var bob2 = h.CreateRight(device: 2, linkedTo: bob1);
        var carol = h.CreateRight(device: 3);
        var devices = new[] { bob1, bob2, carol };
        var distribution = Guid.NewGuid();
        byte[] skdm = alice.Driver.SenderKeyDistribution(alice.Handle, distribution);
        foreach (var d in devices)
        {
            h.Handshake(alice, d);
            d.Driver.ProcessSenderKeyDistribution(d.Handle, alice.Address, skdm);
        }

        string excluded = "PNI:" + Guid.NewGuid();
        byte[] groupId = Utf8("group-1");
        for (int round = 0; round < 2; round++)
        {
            byte[] body = alice.Driver.GroupEncrypt(alice.Handle, distribution, Utf8($"hello group {round}"));
            byte[] content = alice.Driver.SealedContent(server.CertificateOf(alice), 7, body, contentHint: 1, groupId: groupId);
            byte[] sent = alice.Driver.SealedMultiEncrypt(alice.Handle, devices.Select(d => d.Address), content, [excluded]);
            Assert.Equal(0x23, sent[0]);

            // Both implementations split byte for byte alike; the device lists are the real clients'.
            var leftSplit = h.Left.SealedMultiSplit(sent);
            var rightSplit = h.Right.SealedMultiSplit(sent);
            Assert.Equal(Canonical(leftSplit), Canonical(rightSplit));
            Assert.Equal([excluded], rightSplit["excluded"]!.AsArray().Select(e => e!.GetValue<string>()));
            var byId = rightSplit["recipients"]!.AsArray().ToDictionary(r => r!["serviceId"]!.GetValue<string>(), r => r!.AsObject());
            Assert.Equal(2, byId.Count);
            Assert.Equal([1, 2], byId[bob1.Address.Name]["devices"]!.AsArray().Select(x => x!.GetValue<int>()));
            Assert.Equal([h.Right.Identity(bob1.Handle).RegistrationId, h.Right.Identity(bob2.Handle).RegistrationId], byId[bob1.Address.Name]["registrationIds"]!.AsArray().Select(x => x!.GetValue<int>()));
            Assert.Equal([3], byId[carol.Address.Name]["devices"]!.AsArray().Select(x => x!.GetValue<int>()));

            foreach (var device in devices)
            {
                byte[] received = Convert.FromBase64String(byId[device.Address.Name]["message"]!.GetValue<string>());
                Assert.Equal(0x22, received[0]);
                var usmc = device.Driver.SealedDecryptToUsmc(device.Handle, received);
                Assert.Equal(7, usmc["type"]!.GetValue<int>());
                Assert.Equal(1, usmc["contentHint"]!.GetValue<int>());
                Assert.Equal(Convert.ToBase64String(groupId), usmc["groupId"]!.GetValue<string>());
                byte[] certificate = Convert.FromBase64String(usmc["senderCertificate"]!.GetValue<string>());
                Assert.True(device.Driver.ValidateSenderCertificate(certificate, [server.TrustRoot], Now)["valid"]!.GetValue<bool>());
                var sender = new DriverAddress(usmc["senderUuid"]!.GetValue<string>(), usmc["senderDevice"]!.GetValue<int>());
                byte[] plaintext = device.Driver.GroupDecrypt(device.Handle, sender, Convert.FromBase64String(usmc["body"]!.GetValue<string>()));
                Assert.Equal($"hello group {round}", Encoding.UTF8.GetString(plaintext));
            }

            // Another user's payload does not open.
            byte[] carols = Convert.FromBase64String(byId[carol.Address.Name]["message"]!.GetValue<string>());
            DriverAssert.Fails(DriverErrorKind.InvalidSealedSender, () => bob1.Driver.SealedDecryptToUsmc(bob1.Handle, carols));
        }
    }

    /// <summary>The split keyed by ServiceId (recipient order is the parser's own business).</summary>
    private static string Canonical(JsonObject split)
    {
        var recipients = split["recipients"]!.AsArray().OrderBy(r => r!["serviceId"]!.GetValue<string>(), StringComparer.Ordinal).Select(r => r!.ToJsonString());
        return string.Join("\n", recipients) + "\n" + split["excluded"]!.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void SealedV2CarriesA1to1MessageAndAGroupMessageGoesInsideV1(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        using var server = new Server();
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Handshake(alice, bob);

        // 1:1 inside v2, decrypted through sealed_decrypt (a PreKey message: creates bob's session).
        var inner = alice.EncryptFor(bob, Utf8("one to one in v2"));
        byte[] content = alice.Driver.SealedContent(server.CertificateOf(alice), inner.Type, inner.Body);
        byte[] sent = alice.Driver.SealedMultiEncrypt(alice.Handle, [bob.Address], content);
        string received64 = h.Right.SealedMultiSplit(sent)["recipients"]!.AsArray()[0]!["message"]!.GetValue<string>();
        var opened = bob.Driver.SealedDecrypt(bob.Handle, Convert.FromBase64String(received64), server.TrustRoot, Now);
        Assert.Equal("one to one in v2", Encoding.UTF8.GetString(opened.Plaintext));
        Assert.Equal(alice.Address.Name, opened.SenderUuid);

        // A group message sealed with v1, from bob to alice.
        var distribution = Guid.NewGuid();
        alice.Driver.ProcessSenderKeyDistribution(alice.Handle, bob.Address, bob.Driver.SenderKeyDistribution(bob.Handle, distribution));
        byte[] groupBody = bob.Driver.GroupEncrypt(bob.Handle, distribution, Utf8("group in v1"));
        byte[] envelope = bob.Driver.SealedEncryptContent(bob.Handle, alice.Address, bob.Driver.SealedContent(server.CertificateOf(bob), 7, groupBody, groupId: [7]));
        Assert.Equal(0x11, envelope[0]);
        var usmc = alice.Driver.SealedDecryptToUsmc(alice.Handle, envelope);
        Assert.Equal(7, usmc["type"]!.GetValue<int>());
        Assert.Equal(0, usmc["contentHint"]!.GetValue<int>());
        var sender = new DriverAddress(usmc["senderUuid"]!.GetValue<string>(), usmc["senderDevice"]!.GetValue<int>());
        Assert.Equal("group in v1", Encoding.UTF8.GetString(alice.Driver.GroupDecrypt(alice.Handle, sender, Convert.FromBase64String(usmc["body"]!.GetValue<string>()))));
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void RetryReceiptNamingTheCurrentRatchetKeyResetsTheSessionAndAStaleOneDoesNot(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        using var server = new Server();
        var alice = h.CreateLeft();
        var bob = h.CreateRight(device: 2);
        h.Handshake(alice, bob);
        h.RoundTrip(alice, bob, "hello");
        h.RoundTrip(bob, alice, "hi");

        // Bob loses his store; alice's next message cannot be decrypted.
        var lost = alice.EncryptFor(bob, Utf8("lost"));
        bob.Driver.DeleteSession(bob.Handle, alice.Address);
        DriverAssert.Fails(DriverErrorKind.NoSession, () => bob.DecryptFrom(alice, lost));

        // Bob answers with a sealed retry receipt (type 8); both implementations build the same DEM bytes.
        var dem = bob.Driver.DecryptionError(lost.Type, lost.Body, 1_700_000_000_123, alice.Address.Device);
        Assert.Equal(dem.Message, alice.Driver.DecryptionError(lost.Type, lost.Body, 1_700_000_000_123, alice.Address.Device).Message);
        Assert.Equal(0xC0, dem.PlaintextContent[0]);
        Assert.Equal(0x80, dem.PlaintextContent[^1]);
        bob.Driver.Trust(bob.Handle, alice.Address.Name, alice.IdentityKey);
        byte[] receipt = bob.Driver.SealedEncryptContent(bob.Handle, alice.Address, bob.Driver.SealedContent(server.CertificateOf(bob), 8, dem.PlaintextContent, contentHint: 2));

        var usmc = alice.Driver.SealedDecryptToUsmc(alice.Handle, receipt);
        Assert.Equal(8, usmc["type"]!.GetValue<int>());
        var read = alice.Driver.ReadPlaintextContent(Convert.FromBase64String(usmc["body"]!.GetValue<string>()));
        Assert.Equal(dem.Message, read.Message);
        Assert.Equal(1_700_000_000_123UL, read.Timestamp);
        Assert.Equal(alice.Address.Device, read.SenderDevice);
        Assert.Equal(dem.RatchetKey, read.RatchetKey);

        // It names alice's current sending ratchet key: archive, fetch a new bundle, resend as a PreKey message.
        Assert.True(alice.Driver.RatchetKeyMatches(alice.Handle, bob.Address, read.RatchetKey!));
        alice.Driver.ArchiveSession(alice.Handle, bob.Address);
        Assert.False(alice.Driver.RatchetKeyMatches(alice.Handle, bob.Address, read.RatchetKey!));
        h.Handshake(alice, bob);
        var resent = alice.EncryptFor(bob, Utf8("lost"));
        Assert.Equal(DriverCiphertext.PreKey, resent.Type);
        Assert.Equal("lost", Encoding.UTF8.GetString(bob.DecryptFrom(alice, resent)));

        // A receipt for a message from before the last DH step is stale: resend on the current session.
        var old = alice.EncryptFor(bob, Utf8("old"));
        Assert.Equal("old", Encoding.UTF8.GetString(bob.DecryptFrom(alice, old)));
        h.RoundTrip(bob, alice, "reply");
        h.RoundTrip(alice, bob, "next");
        var stale = bob.Driver.DecryptionError(old.Type, old.Body, 1, alice.Address.Device);
        Assert.False(alice.Driver.RatchetKeyMatches(alice.Handle, bob.Address, stale.RatchetKey!));
        h.RoundTrip(alice, bob, "old (resent)");
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void RetryReceiptsForGroupMessagesNameNoKeyAndMalformedOnesAreRejected(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        var distribution = Guid.NewGuid();
        alice.Driver.SenderKeyDistribution(alice.Handle, distribution);
        byte[] body = alice.Driver.GroupEncrypt(alice.Handle, distribution, Utf8("group"));
        DriverAssert.Fails(DriverErrorKind.NoSenderKey, () => bob.Driver.GroupDecrypt(bob.Handle, alice.Address, body));

        foreach (var driver in new[] { h.Left, h.Right })
        {
            var dem = driver.DecryptionError(7, body, 42, 1);
            Assert.Null(dem.RatchetKey);
            var read = h.Left.ReadPlaintextContent(dem.PlaintextContent);
            Assert.Null(read.RatchetKey);
            Assert.Equal(42UL, read.Timestamp);
            Assert.Equal(dem.Message, h.Right.ReadPlaintextContent(dem.PlaintextContent).Message);

            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => driver.DecryptionError(2, [1, 2, 3], 1, 1));
            DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.DecryptionError(8, dem.PlaintextContent, 1, 1));
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => driver.ReadPlaintextContent([0xC1, .. dem.PlaintextContent[1..]]));
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => driver.ReadPlaintextContent([.. dem.PlaintextContent, 0x00]));
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => driver.ReadPlaintextContent([0xC0, 0x0a, 0x00, 0x80]));
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => driver.ReadPlaintextContent([]));
        }
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void PreKeyMessagesBetweenServiceIdsAreBoundToTheirSenderAndRecipientAddresses(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft(device: 2);
        var bob = h.CreateRight();
        h.Handshake(alice, bob);
        var message = alice.EncryptFor(bob, Utf8("bound"));
        Assert.Equal(DriverCiphertext.PreKey, message.Type);

        // The same bytes presented under another sender name or device fail and change nothing.
        DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.Driver.Decrypt(bob.Handle, new DriverAddress(alice.Address.Name, 3), message));
        DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.Driver.Decrypt(bob.Handle, new DriverAddress(NewUserName(), 2), message));
        Assert.False(bob.Driver.HasSession(bob.Handle, new DriverAddress(alice.Address.Name, 3)));
        Assert.Equal("bound", Encoding.UTF8.GetString(bob.DecryptFrom(alice, message)));
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void PniSignaturesVerifyAcrossImplementationsInOneDirectionOnly(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var pni = h.CreateLeft();
        var aci = h.CreateRight();
        byte[] signature = pni.Driver.SignAlternateIdentity(pni.Handle, aci.IdentityKey);
        Assert.True(h.Right.VerifyAlternateIdentity(pni.IdentityKey, aci.IdentityKey, signature));
        Assert.True(h.Left.VerifyAlternateIdentity(pni.IdentityKey, aci.IdentityKey, signature));
        Assert.False(h.Right.VerifyAlternateIdentity(aci.IdentityKey, pni.IdentityKey, signature));
        byte[] back = aci.Driver.SignAlternateIdentity(aci.Handle, pni.IdentityKey);
        Assert.True(h.Left.VerifyAlternateIdentity(aci.IdentityKey, pni.IdentityKey, back));
        Assert.False(h.Left.VerifyAlternateIdentity(aci.IdentityKey, pni.IdentityKey, signature));
    }
}
