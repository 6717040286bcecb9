using System.Text;
using SignalSharp.TestSupport.Interop;
using Xunit;
using static SignalSharp.TestSupport.Interop.PairingHarness;

namespace SignalSharp.Tests.Interop;

/// <summary>
/// 1:1 session scenarios run between two driver processes for every pairing of <see cref="InteropPairs"/>.
/// The left client initiates; mixed pairings therefore cover both implementations as initiator.
/// </summary>
[Trait("Category", "Interop")]
public sealed class SessionInteropTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void HandshakeWithOneTimePreKey_Then200AlternatingMessages_CompleteSeveralSpqrEpochs(DriverKind left, DriverKind right) =>
        TwoHundredAlternatingMessages(left, right, oneTimePreKey: true);

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void HandshakeWithoutOneTimePreKey_Then200AlternatingMessages_CompleteSeveralSpqrEpochs(DriverKind left, DriverKind right) =>
        TwoHundredAlternatingMessages(left, right, oneTimePreKey: false);

    /// <summary>
    /// SPQR progress is read from the wire (pq_ratchet field, facts §6.3): a message sent in SPQR state epoch e
    /// means epochs 1..e−1 completed. One epoch takes about 45 lockstep round trips (facts §6.6), so 200 round
    /// trips reach state epoch 5 (four completed epochs; observed with libsignal 0.103) in both directions, epochs
    /// never go back, and both sides have sent every SPQR message type.
    /// </summary>
    private static void TwoHundredAlternatingMessages(DriverKind left, DriverKind right, bool oneTimePreKey)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Handshake(alice, bob, oneTimePreKey);

        ulong aliceEpoch = 0, bobEpoch = 0;
        var aliceSpqrTypes = new SortedSet<int>();
        var bobSpqrTypes = new SortedSet<int>();
        for (int i = 0; i < 200; i++)
        {
            var m = h.RoundTrip(alice, bob, $"alice {i}");
            aliceSpqrTypes.Add(WireInspector.SpqrMessageType(m));
            Assert.Equal(i == 0 ? DriverCiphertext.PreKey : DriverCiphertext.Whisper, m.Type);
            ulong e = WireInspector.SpqrEpoch(m);
            Assert.True(e >= aliceEpoch, $"alice's SPQR epoch went back from {aliceEpoch} to {e} at {i}");
            aliceEpoch = e;

            var reply = h.RoundTrip(bob, alice, $"bob {i}");
            bobSpqrTypes.Add(WireInspector.SpqrMessageType(reply));
            Assert.Equal(DriverCiphertext.Whisper, reply.Type);
            e = WireInspector.SpqrEpoch(reply);
            Assert.True(e >= bobEpoch, $"bob's SPQR epoch went back from {bobEpoch} to {e} at {i}");
            bobEpoch = e;
        }

        Assert.True(aliceEpoch >= 5, $"alice only reached SPQR epoch {aliceEpoch}");
        Assert.True(bobEpoch >= 5, $"bob only reached SPQR epoch {bobEpoch}");

        // Roles swap every epoch, so each side has sent every SPQR message type (None, Hdr, Ek, EkCt1Ack,
        // Ct1Ack, Ct1, Ct2 = 0..6).
        Assert.Equal(Enumerable.Range(0, 7), aliceSpqrTypes);
        Assert.Equal(Enumerable.Range(0, 7), bobSpqrTypes);
        Assert.True(alice.HasSessionWith(bob));
        Assert.True(bob.HasSessionWith(alice));
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void MessagesDeliveredInRandomOrder_AllDecrypt_AndReplaysAreDuplicates(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        var random = new Random(6060);
        h.Handshake(alice, bob);

        // Phase 1: the unacknowledged session repeats the pre-key header in every message (facts §3.4).
        var preKeyMessages = Enumerable.Range(0, 30).Select(i => (Text: $"pk {i}", Message: alice.EncryptFor(bob, Utf8($"pk {i}")))).ToList();
        Assert.All(preKeyMessages, m => Assert.Equal(DriverCiphertext.PreKey, m.Message.Type));
        foreach (var (text, message) in Shuffle(preKeyMessages, random))
        {
            Deliver(alice, bob, message, text);
        }

        DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => bob.DecryptFrom(alice, preKeyMessages[7].Message));
        h.RoundTrip(bob, alice, "ack");

        // Phase 2: 60 SignalMessages each way, shuffled.
        foreach (var (from, to) in new[] { (alice, bob), (bob, alice) })
        {
            var sent = Enumerable.Range(0, 60).Select(i => (Text: $"{i} from {from.Address}", Message: from.EncryptFor(to, Utf8($"{i} from {from.Address}")))).ToList();
            Assert.All(sent, m => Assert.Equal(DriverCiphertext.Whisper, m.Message.Type));
            foreach (var (text, message) in Shuffle(sent, random))
            {
                Deliver(from, to, message, text);
            }

            DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => to.DecryptFrom(from, sent[0].Message));
            DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => to.DecryptFrom(from, sent[59].Message));
        }

        h.RoundTrip(alice, bob, "still fine");
        h.RoundTrip(bob, alice, "still fine too");
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void MessagesHeldBackAcrossFourRatchetSteps_DecryptLate(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Establish(alice, bob);

        var held = new List<(InteropPeer From, InteropPeer To, string Text, DriverCiphertext Message)>();
        for (int step = 0; step < 4; step++)
        {
            // Each step: one message held back in the current chain of each side, then a round trip in both
            // directions, which is one DH-ratchet step on each side.
            foreach (var (from, to) in new[] { (alice, bob), (bob, alice) })
            {
                string text = $"held {step} from {from.Address}";
                held.Add((from, to, text, from.EncryptFor(to, Utf8(text))));
            }

            h.RoundTrip(alice, bob, $"step {step} a");
            h.RoundTrip(bob, alice, $"step {step} b");
        }

        held.Reverse();
        foreach (var (from, to, text, message) in held)
        {
            Deliver(from, to, message, text);
        }

        DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => bob.DecryptFrom(alice, held[^1].Message));
        h.RoundTrip(alice, bob, "after");
        h.RoundTrip(bob, alice, "after too");
    }

    /// <summary>
    /// PreKey messages that arrive after the session was acknowledged (and after later SignalMessages) still
    /// decrypt: the same base key selects the existing session instead of a new key agreement (facts §3.5).
    /// </summary>
    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void LatePreKeyMessages_AfterTheSessionMovedOn_StillDecrypt(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Handshake(alice, bob);
        var early = Enumerable.Range(0, 4).Select(i => alice.EncryptFor(bob, Utf8($"early {i}"))).ToList();
        Assert.All(early, m => Assert.Equal(DriverCiphertext.PreKey, m.Type));

        Deliver(alice, bob, early[1], "early 1");
        h.RoundTrip(bob, alice, "ack");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(DriverCiphertext.Whisper, h.RoundTrip(alice, bob, $"later {i}").Type);
            h.RoundTrip(bob, alice, $"reply {i}");
        }

        Deliver(alice, bob, early[3], "early 3");
        Deliver(alice, bob, early[0], "early 0");
        Deliver(alice, bob, early[2], "early 2");
        DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => bob.DecryptFrom(alice, early[1]));
        h.RoundTrip(alice, bob, "all caught up");
        h.RoundTrip(bob, alice, "great");
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void FifteenHundredMessageGap_LastDecryptsFirst_ThenEverySkippedOne(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Establish(alice, bob);

        const int count = 1500;
        var sent = Enumerable.Range(0, count).Select(i => alice.EncryptFor(bob, Utf8($"gap {i}"))).ToList();
        Deliver(alice, bob, sent[^1], $"gap {count - 1}");

        // Every skipped message key (1,499 of them, under the 2,000-per-chain limit) is still available.
        for (int i = 0; i < count - 1; i++)
        {
            Deliver(alice, bob, sent[i], $"gap {i}");
        }

        DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => bob.DecryptFrom(alice, sent[^1]));
        DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => bob.DecryptFrom(alice, sent[700]));
        h.RoundTrip(bob, alice, "got them all");
        h.RoundTrip(alice, bob, "good");
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void TamperedSignalMessage_IsInvalid_AndTheOriginalStillDecrypts(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Establish(alice, bob);

        var message = alice.EncryptFor(bob, Utf8("integrity"));
        Assert.Equal(DriverCiphertext.Whisper, message.Type);
        var fields = WireInspector.SignalMessageFields(message.Body);
        WireField F(int number) => fields.Single(f => f.Number == number);
        int[] offsets =
        [
            0,                            // version byte (covered by the MAC)
            F(1).Offset + 5,              // ratchet key
            F(2).Offset,                  // counter
            F(4).Offset,                  // first ciphertext byte (the CBC IV side)
            F(4).Offset + F(4).Length - 1, // last ciphertext byte (padding block)
            F(5).Offset,                  // SPQR version byte
            F(5).Offset + F(5).Length - 1, // SPQR chunk data
            message.Body.Length - 8,      // MAC, first byte
            message.Body.Length - 1,      // MAC, last byte
        ];
        foreach (int offset in offsets)
        {
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.DecryptFrom(alice, message.WithBody(Tamper(message.Body, offset))));
        }

        DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.DecryptFrom(alice, message.WithBody(message.Body[..^1])));
        Deliver(alice, bob, message, "integrity");
        h.RoundTrip(bob, alice, "reply");
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void TamperedPreKeyMessage_IsInvalid_AndTheOriginalStillDecrypts(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Handshake(alice, bob);

        var message = alice.EncryptFor(bob, Utf8("first contact"));
        Assert.Equal(DriverCiphertext.PreKey, message.Type);
        var outer = WireInspector.PreKeyMessageFields(message.Body);
        var inner = WireInspector.InnerSignalMessageFields(message);
        WireField Outer(int number) => outer.Single(f => f.Number == number);
        WireField Inner(int number) => inner.Single(f => f.Number == number);
        int[] offsets =
        [
            Outer(2).Offset + 7,                      // base key
            Outer(3).Offset + 7,                      // sender identity key (unknown so far, then the MAC fails)
            Outer(8).Offset + 700,                    // Kyber ciphertext (implicit rejection → other secret)
            Inner(4).Offset,                          // inner ciphertext
            Inner(5).Offset + Inner(5).Length - 1,    // inner SPQR chunk
            Outer(4).Offset + Outer(4).Length - 1,    // inner MAC
        ];
        foreach (int offset in offsets)
        {
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.DecryptFrom(alice, message.WithBody(Tamper(message.Body, offset))));
        }

        Assert.False(bob.HasSessionWith(alice));
        Deliver(alice, bob, message, "first contact");
        h.RoundTrip(bob, alice, "welcome");
    }

    /// <summary>
    /// The <c>addresses</c> field (facts §4.5) binds a PreKey message to sender and recipient ServiceIds. Sending it
    /// is optional, checking it when present is not: delivered as if from another user, the message fails.
    /// </summary>
    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void PreKeyMessageCarryingAddresses_IsRefusedFromAnotherSender(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Handshake(alice, bob);
        var message = alice.EncryptFor(bob, Utf8("bound to alice and bob"));

        var addresses = WireInspector.InnerSignalMessageFields(message).Where(f => f.Number == 6).ToList();
        if (alice.Kind == DriverKind.Libsignal)
        {
            Assert.Single(addresses); // libsignal always sends it between ServiceId names
        }

        if (addresses.Count == 1)
        {
            Assert.Equal(36, addresses[0].Length);
            var impostor = new DriverAddress(NewUserName(), 1);
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.Driver.Decrypt(bob.Handle, impostor, message));
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.DecryptFrom(alice, message.WithBody(Tamper(message.Body, addresses[0].Offset + 3))));
            Assert.False(bob.Driver.HasSession(bob.Handle, impostor));
        }

        Deliver(alice, bob, message, "bound to alice and bob");
        h.RoundTrip(bob, alice, "ok");
    }

    /// <summary>
    /// Bundles from <c>bundle</c> carry one-time keys (the Kyber pre-key always, the EC pre-key when asked for):
    /// once one initiator's PreKey message consumed them, a second initiator using the same bundle is refused.
    /// </summary>
    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void OneTimePreKeys_AreConsumed_SoASecondInitiatorWithTheSameBundleIsRefused(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var bob = h.CreateRight();
        foreach (bool oneTimePreKey in new[] { true, false })
        {
            var bundle = h.BundleOf(bob, oneTimePreKey);
            var carol = h.CreateLeft();
            var dave = h.CreateLeft();
            carol.Driver.ProcessBundle(carol.Handle, bob.Address, bundle);
            dave.Driver.ProcessBundle(dave.Handle, bob.Address, bundle);
            var fromCarol = carol.EncryptFor(bob, Utf8("first"));
            var fromDave = dave.EncryptFor(bob, Utf8("second"));

            Deliver(carol, bob, fromCarol, "first");
            DriverAssert.Fails(DriverErrorKind.InvalidKeyId, () => bob.DecryptFrom(dave, fromDave));
            Assert.False(bob.HasSessionWith(dave));
            h.RoundTrip(bob, carol, "only you");
        }
    }

    /// <summary>
    /// The version byte (facts §3.4, §4.4): a version nibble below 3, and version-3 (X3DH) PreKey messages, are
    /// legacy; a version above 4 is unrecognized, i.e. an invalid message. Nothing is committed either way.
    /// </summary>
    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void VersionByte_TooOldIsLegacy_TooNewIsInvalid(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Handshake(alice, bob);
        var preKey = alice.EncryptFor(bob, Utf8("versioned"));

        DriverCiphertext WithVersion(DriverCiphertext m, byte version)
        {
            var body = (byte[])m.Body.Clone();
            body[0] = version;
            return m.WithBody(body);
        }

        foreach (byte version in new byte[] { 0x22, 0x11, 0x02, 0x33 })
        {
            DriverAssert.Fails(DriverErrorKind.LegacyMessage, () => bob.DecryptFrom(alice, WithVersion(preKey, version)));
        }

        foreach (byte version in new byte[] { 0x54, 0xF4 })
        {
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.DecryptFrom(alice, WithVersion(preKey, version)));
        }

        Deliver(alice, bob, preKey, "versioned");
        h.RoundTrip(bob, alice, "ack");
        var whisper = alice.EncryptFor(bob, Utf8("whisper"));
        foreach (byte version in new byte[] { 0x22, 0x11 })
        {
            DriverAssert.Fails(DriverErrorKind.LegacyMessage, () => bob.DecryptFrom(alice, WithVersion(whisper, version)));
        }

        foreach (byte version in new byte[] { 0x54, 0xF4 })
        {
            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.DecryptFrom(alice, WithVersion(whisper, version)));
        }

        // A version-3 SignalMessage cannot belong to a version-4 session.
        DriverAssert.FailsWithOneOf([DriverErrorKind.InvalidMessage, DriverErrorKind.LegacyMessage], () => bob.DecryptFrom(alice, WithVersion(whisper, 0x33)));
        Deliver(alice, bob, whisper, "whisper");
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void RandomGarbage_IsRejectedWithTypedErrors_AndTheSessionSurvives(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Establish(alice, bob);
        var random = new Random(1234);
        string[] messageKinds = [DriverErrorKind.InvalidMessage, DriverErrorKind.LegacyMessage];

        foreach (int length in new[] { 0, 1, 2, 8, 9, 16, 33, 64, 65, 100, 500, 1800, 4000 })
        {
            var garbage = new byte[length];
            random.NextBytes(garbage);
            foreach (int type in new[] { DriverCiphertext.Whisper, DriverCiphertext.PreKey })
            {
                DriverAssert.FailsWithOneOf(messageKinds, () => bob.DecryptFrom(alice, new DriverCiphertext(type, garbage)));
                if (length > 0)
                {
                    // With a current version byte the parser (not the version check) must reject it.
                    var versioned = (byte[])garbage.Clone();
                    versioned[0] = 0x44;
                    DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.DecryptFrom(alice, new DriverCiphertext(type, versioned)));
                }
            }

            if (InteropPairs.SupportsGroups(bob.Kind))
            {
                DriverAssert.FailsWithOneOf([.. messageKinds, DriverErrorKind.NoSenderKey], () => bob.Driver.GroupDecrypt(bob.Handle, alice.Address, garbage));
                DriverAssert.FailsWithOneOf(messageKinds, () => bob.Driver.ProcessSenderKeyDistribution(bob.Handle, alice.Address, garbage));
            }
        }

        // Keys that do not parse.
        var carol = h.CreateRight();
        var bundle = h.BundleOf(carol);
        DriverAssert.Fails(DriverErrorKind.InvalidKey, () => alice.Driver.ProcessBundle(alice.Handle, carol.Address, bundle with { IdentityKey = [0x07, .. bundle.IdentityKey[1..]] }));
        DriverAssert.Fails(DriverErrorKind.InvalidKey, () => alice.Driver.ProcessBundle(alice.Handle, carol.Address, bundle with { SignedPreKey = bundle.SignedPreKey[..20] }));
        DriverAssert.Fails(DriverErrorKind.InvalidKey, () => alice.Driver.ProcessBundle(alice.Handle, carol.Address, bundle with { KyberPreKey = bundle.KyberPreKey[..1000] }));
        DriverAssert.Fails(DriverErrorKind.InvalidKey, () => alice.Driver.ProcessBundle(alice.Handle, carol.Address, bundle with { KyberPreKey = [0x0A, .. bundle.KyberPreKey[1..]] }));
        Assert.False(alice.Driver.HasSession(alice.Handle, carol.Address));

        h.RoundTrip(alice, bob, "unharmed");
        h.RoundTrip(bob, alice, "unharmed too");
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void IdentityChange_IsRefusedUntilTrusted(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Establish(alice, bob);

        // Bob reinstalls: same address, new identity key.
        var newBob = h.CreateRight(bob.Address.Name, bob.Address.Device);
        Assert.NotEqual(bob.IdentityKey, newBob.IdentityKey);

        // Outgoing: alice refuses his new bundle.
        var newBundle = h.BundleOf(newBob);
        DriverAssert.Fails(DriverErrorKind.UntrustedIdentity, () => alice.Driver.ProcessBundle(alice.Handle, newBob.Address, newBundle));

        // Incoming: alice refuses his new session.
        h.Handshake(newBob, alice);
        var fromNewBob = newBob.EncryptFor(alice, Utf8("it's me, new phone"));
        DriverAssert.Fails(DriverErrorKind.UntrustedIdentity, () => alice.DecryptFrom(newBob, fromNewBob));

        // The refused attempts changed nothing: the old session still works.
        h.RoundTrip(alice, bob, "old session");

        alice.Driver.Trust(alice.Handle, newBob.Address.Name, newBob.IdentityKey);
        Deliver(newBob, alice, fromNewBob, "it's me, new phone");
        h.RoundTrip(alice, newBob, "welcome back");
        h.RoundTrip(newBob, alice, "thanks");
        alice.Driver.ProcessBundle(alice.Handle, newBob.Address, h.BundleOf(newBob));
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void BundleWithBadSignatures_IsRefused(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        var bundle = h.BundleOf(bob);

        var corruptions = new (BundleField Field, int Offset, int Bit)[]
        {
            (BundleField.SignedPreKeySignature, 0, 0),
            (BundleField.SignedPreKeySignature, 40, 3),
            (BundleField.SignedPreKeySignature, 63, 0),
            (BundleField.SignedPreKey, 10, 1),
            (BundleField.KyberPreKeySignature, 0, 0),
            (BundleField.KyberPreKeySignature, 33, 7),
            (BundleField.KyberPreKeySignature, 63, 0),
            (BundleField.KyberPreKey, 800, 2),
        };
        foreach (var (field, offset, bit) in corruptions)
        {
            DriverAssert.Fails(DriverErrorKind.InvalidSignature, () => alice.Driver.ProcessBundle(alice.Handle, bob.Address, bundle.WithFlippedBit(field, offset, bit)));
        }

        Assert.False(alice.HasSessionWith(bob));
        DriverAssert.Fails(DriverErrorKind.NoSession, () => alice.EncryptFor(bob, Utf8("nothing yet")));

        alice.Driver.ProcessBundle(alice.Handle, bob.Address, bundle);
        h.RoundTrip(alice, bob, "signed and sealed");
        h.RoundTrip(bob, alice, "delivered");
    }

    /// <summary>
    /// libsignal behaviour (observed with 0.103): each side's PreKey message creates a responder session on the
    /// other side that becomes current; the first SignalMessage each way then lands in the peer's archived
    /// session, which is promoted — after one exchange both use the same session and only SignalMessages flow.
    /// </summary>
    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void BothSidesInitiatingAtOnce_Converge(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        var bobBundle = h.BundleOf(bob);
        var aliceBundle = h.BundleOf(alice);
        alice.Driver.ProcessBundle(alice.Handle, bob.Address, bobBundle);
        bob.Driver.ProcessBundle(bob.Handle, alice.Address, aliceBundle);

        var fromAlice = alice.EncryptFor(bob, Utf8("hi bob"));
        var fromBob = bob.EncryptFor(alice, Utf8("hi alice"));
        Assert.Equal(DriverCiphertext.PreKey, fromAlice.Type);
        Assert.Equal(DriverCiphertext.PreKey, fromBob.Type);
        Deliver(alice, bob, fromAlice, "hi bob");
        Deliver(bob, alice, fromBob, "hi alice");

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(DriverCiphertext.Whisper, h.RoundTrip(alice, bob, $"a{i}").Type);
            Assert.Equal(DriverCiphertext.Whisper, h.RoundTrip(bob, alice, $"b{i}").Type);
        }

        // Converged: bursts in either direction without a reply in between also work.
        for (int i = 0; i < 5; i++)
        {
            h.RoundTrip(bob, alice, $"burst b{i}");
        }

        for (int i = 0; i < 5; i++)
        {
            h.RoundTrip(alice, bob, $"burst a{i}");
        }
    }

    [Theory]
    [MemberData(nameof(InteropPairs.All), MemberType = typeof(InteropPairs))]
    public void FourDevicesOfTwoUsers_AllMessageEachOther(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice1 = h.CreateLeft();
        var alice2 = h.CreateLeft(device: 2, linkedTo: alice1);
        var bob1 = h.CreateRight();
        var bob2 = h.CreateRight(device: 2, linkedTo: bob1);
        Assert.Equal(alice1.IdentityKey, alice2.IdentityKey);
        Assert.Equal(bob1.IdentityKey, bob2.IdentityKey);
        Assert.Equal(alice1.Address.Name, alice2.Address.Name);

        var alices = new[] { alice1, alice2 };
        var bobs = new[] { bob1, bob2 };
        bool oneTime = true;
        foreach (var a in alices)
        {
            foreach (var b in bobs)
            {
                h.Handshake(a, b, oneTime);
                oneTime = !oneTime;
            }
        }

        for (int round = 0; round < 3; round++)
        {
            foreach (var a in alices)
            {
                foreach (var b in bobs)
                {
                    h.RoundTrip(a, b, $"{round}: {a.Address} to {b.Address}");
                    h.RoundTrip(b, a, $"{round}: {b.Address} to {a.Address}");
                }
            }
        }

        // Sync messages between a user's own devices (same implementation, shared identity).
        h.Handshake(alice2, alice1);
        h.RoundTrip(alice2, alice1, "note to self");
        h.RoundTrip(alice1, alice2, "noted");
    }
}
