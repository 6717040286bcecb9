using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>Two SignalSharp devices talking: the protocol rules of wire facts §3–§4 (libsignal 0.103 behaviour).</summary>
public class SessionCipherTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FirstMessagesArePreKeyMessagesUntilThePeerAnswers(bool withOneTimePreKey)
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob, withOneTimePreKey);

        for (int i = 0; i < 3; i++)
        {
            var m = await alice.EncryptAsync(bob, "hello " + i);
            Assert.Equal(CiphertextMessageType.PreKey, m.Type);
            Assert.Equal("hello " + i, await bob.DecryptAsync(alice, m));
        }

        var reply = await bob.EncryptAsync(alice, "hi");
        Assert.Equal(CiphertextMessageType.Whisper, reply.Type);
        Assert.Equal("hi", await alice.DecryptAsync(bob, reply));

        var after = await alice.EncryptAsync(bob, "now plain");
        Assert.Equal(CiphertextMessageType.Whisper, after.Type);
        Assert.Equal("now plain", await bob.DecryptAsync(alice, after));
    }

    [Fact]
    public async Task PreKeyMessageNamesTheBundleKeysAndMarksThemUsed()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync();
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var m = (PreKeySignalMessage)await alice.EncryptAsync(bob, "x");
        Assert.Equal(bundle.PreKeyId, m.PreKeyId);
        Assert.Equal(bundle.SignedPreKeyId, m.SignedPreKeyId);
        Assert.Equal(bundle.KyberPreKeyId, m.KyberPreKeyId);
        Assert.Equal(alice.RegistrationId, m.RegistrationId);
        Assert.Equal(0x44, m.Serialize()[0]);
        Assert.Equal(1569, m.KyberCiphertext!.Length);

        await bob.DecryptAsync(alice, m);
        Assert.Null(await bob.Store.LoadPreKeyAsync(bundle.PreKeyId!.Value));
        Assert.Null(await bob.Store.LoadKyberPreKeyAsync(bundle.KyberPreKeyId));
        Assert.NotNull(await bob.Store.LoadSignedPreKeyAsync(bundle.SignedPreKeyId));
        var record = await bob.Store.LoadSessionAsync(alice.Address);
        Assert.Equal(alice.RegistrationId, record!.RemoteRegistrationId);
    }

    [Fact]
    public async Task RepeatedPreKeyMessagesReuseTheSessionAndExactRepeatsAreDuplicates()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var first = await alice.EncryptAsync(bob, "one");
        var second = await alice.EncryptAsync(bob, "two");
        Assert.Equal("two", await bob.DecryptAsync(alice, second));
        // The one-time and Kyber keys are gone by now, so only session reuse can decrypt this.
        Assert.Equal("one", await bob.DecryptAsync(alice, first));
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, first));
        var record = await bob.Store.LoadSessionAsync(alice.Address);
        Assert.Equal(0, record!.ArchivedStateCount);
    }

    [Fact]
    public async Task OutOfOrderMessagesAcrossRatchetStepsAllDecryptOnce()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        Assert.Equal("a0", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "a0")));
        Assert.Equal("b0", await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "b0")));

        var held = new List<(string, CiphertextMessage)>();
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 4; i++)
            {
                held.Add(($"a{round}.{i}", await alice.EncryptAsync(bob, $"a{round}.{i}")));
            }

            var b = await bob.EncryptAsync(alice, "b" + round);
            Assert.Equal("b" + round, await alice.DecryptAsync(bob, b));
            var a = await alice.EncryptAsync(bob, "sync" + round);
            Assert.Equal("sync" + round, await bob.DecryptAsync(alice, a));
        }

        held.Reverse();
        foreach (var (text, message) in held)
        {
            Assert.Equal(text, await bob.DecryptAsync(alice, message));
        }

        foreach (var (_, message) in held)
        {
            await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, message));
        }
    }

    [Fact]
    public async Task UnansweredSessionExpiresAfterThirtyDays()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        alice.Clock.Now += TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1);
        Assert.True(await alice.CipherFor(bob).HasUsableSessionAsync());
        await alice.EncryptAsync(bob, "still ok");
        alice.Clock.Now += TimeSpan.FromMinutes(2);
        Assert.False(await alice.CipherFor(bob).HasUsableSessionAsync());
        await Assert.ThrowsAsync<NoSessionException>(() => alice.EncryptAsync(bob, "too late"));
    }

    [Fact]
    public async Task AnsweredSessionDoesNotExpire()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "y"));
        alice.Clock.Now += TimeSpan.FromDays(400);
        Assert.Equal("z", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "z")));
    }

    [Fact]
    public async Task EncryptWithoutSessionThrowsNoSession()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await Assert.ThrowsAsync<NoSessionException>(() => alice.EncryptAsync(bob, "x"));
        await alice.StartSessionWithAsync(bob);
        await alice.CipherFor(bob).ArchiveCurrentSessionAsync();
        await Assert.ThrowsAsync<NoSessionException>(() => alice.EncryptAsync(bob, "x"));
    }

    [Fact]
    public async Task ArchivedSessionsStillDecryptAndArePromoted()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        var late = await bob.EncryptAsync(alice, "late");

        // Bob resets, Alice starts anew: Bob now has two sessions, the old one archived.
        await bob.CipherFor(alice).ArchiveCurrentSessionAsync();
        await alice.CipherFor(bob).ArchiveCurrentSessionAsync();
        await alice.StartSessionWithAsync(bob);
        Assert.Equal("new", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "new")));

        // Alice receives Bob's message of the old session: trial decryption finds and promotes it.
        Assert.Equal("late", await alice.DecryptAsync(bob, late));
        var record = await alice.Store.LoadSessionAsync(bob.Address);
        Assert.Equal(1, record!.ArchivedStateCount);
    }

    [Fact]
    public async Task ChangedIdentityIsUntrustedUntilAccepted()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var bob2 = new TestParty("bob");
        var bundle = await bob2.PublishBundleAsync();
        var e = await Assert.ThrowsAsync<UntrustedIdentityException>(() => alice.BuilderFor(bob2).ProcessPreKeyBundleAsync(bundle).AsTask());
        Assert.Equal("bob", e.Name);

        await alice.Store.SaveIdentityAsync(bob2.Address, bob2.Identity.IdentityKey);
        await alice.BuilderFor(bob2).ProcessPreKeyBundleAsync(bundle);
        Assert.Equal("ok", await bob2.DecryptAsync(alice, await alice.EncryptAsync(bob2, "ok")));
    }

    [Fact]
    public async Task BundleWithBadSignaturesIsRejected()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var good = await bob.PublishBundleAsync();
        var badSigned = good.SignedPreKeySignature;
        badSigned[5] ^= 1;
        var b1 = new SignalSharp.PreKeyBundle(good.RegistrationId, good.DeviceId, good.PreKeyId, good.PreKey, good.SignedPreKeyId, good.SignedPreKey, badSigned, good.IdentityKey, good.KyberPreKeyId, good.KyberPreKey, good.KyberPreKeySignature);
        await Assert.ThrowsAsync<InvalidSignatureException>(() => alice.BuilderFor(bob).ProcessPreKeyBundleAsync(b1).AsTask());
        var badKyber = good.KyberPreKeySignature;
        badKyber[0] ^= 0x80;
        var b2 = new SignalSharp.PreKeyBundle(good.RegistrationId, good.DeviceId, good.PreKeyId, good.PreKey, good.SignedPreKeyId, good.SignedPreKey, good.SignedPreKeySignature, good.IdentityKey, good.KyberPreKeyId, good.KyberPreKey, badKyber);
        await Assert.ThrowsAsync<InvalidSignatureException>(() => alice.BuilderFor(bob).ProcessPreKeyBundleAsync(b2).AsTask());
        Assert.Null(await alice.Store.LoadSessionAsync(bob.Address));
        Assert.Null(await alice.Store.GetIdentityAsync(bob.Address));
    }

    [Fact]
    public async Task MissingPreKeysAreInvalidKeyIds()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync();
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var m = await alice.EncryptAsync(bob, "x");
        await bob.Store.RemovePreKeyAsync(bundle.PreKeyId!.Value);
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => bob.DecryptAsync(alice, m));
    }

    [Fact]
    public async Task LastResortKyberKeyIsKeptAndServesSeveralInitiators()
    {
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync(withOneTimePreKey: false, lastResortKyber: true);
        foreach (var name in new[] { "alice", "carol" })
        {
            var sender = new TestParty(name);
            await sender.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
            Assert.Equal(name, await bob.DecryptAsync(sender, await sender.EncryptAsync(bob, name)));
        }

        Assert.NotNull(await bob.Store.LoadKyberPreKeyAsync(bundle.KyberPreKeyId));
    }

    [Fact]
    public async Task LastResortReplayAfterTheSessionIsGoneIsRejected()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync(withOneTimePreKey: false, lastResortKyber: true);
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var m = await alice.EncryptAsync(bob, "x");
        await bob.DecryptAsync(alice, m);
        await bob.Store.DeleteSessionAsync(alice.Address);
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, m));
        Assert.Null(await bob.Store.LoadSessionAsync(alice.Address));
    }

    [Fact]
    public async Task NewSessionFromTheSameInitiatorArchivesTheOldOne()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "1"));
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "2"));
        Assert.Equal(1, (await alice.Store.LoadSessionAsync(bob.Address))!.ArchivedStateCount);
        Assert.Equal(1, (await bob.Store.LoadSessionAsync(alice.Address))!.ArchivedStateCount);
        Assert.Equal("3", await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "3")));
    }

    [Fact]
    public async Task ArchiveKeepsAtMostFortySessions()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        for (int i = 0; i < 43; i++)
        {
            await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
        }

        var record = await alice.Store.LoadSessionAsync(bob.Address);
        Assert.Equal(SessionRecord.MaxArchivedStates, record!.ArchivedStateCount);
        Assert.True(record.HasCurrentState);
    }

    [Fact]
    public async Task VersionThreePreKeyMessagesAreLegacy()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var bytes = (await alice.EncryptAsync(bob, "x")).Serialize();
        bytes[0] = 0x34;
        // Version 3 needs no Kyber fields, so strip them: re-encode the protobuf without fields 7 and 8.
        var proto = SignalSharp.Wire.Protos.PreKeySignalMessage.Parser.ParseFrom(bytes.AsSpan(1));
        proto.ClearKyberPreKeyId();
        proto.ClearKyberCiphertext();
        var v3 = new byte[] { 0x33 }.Concat(Google.Protobuf.MessageExtensions.ToByteArray(proto)).ToArray();
        var parsed = PreKeySignalMessage.Deserialize(v3);
        Assert.Equal(3, parsed.MessageVersion);
        await Assert.ThrowsAsync<LegacyMessageException>(() => bob.CipherFor(alice).DecryptAsync(parsed).AsTask());
    }

    [Fact]
    public async Task ForwardJumpBeyondTheLimitIsRejected()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "y"));

        // Move Alice's sending chain far ahead by editing her stored record, as a peer skipping keys would.
        var record = (await alice.Store.LoadSessionAsync(bob.Address))!;
        var state = record.Current!.Clone();
        var chain = state.SenderChain;
        var chainKey = chain.ChainKey;
        for (uint i = 0; i < SessionRatchet.MaxForwardJumps + 1; i++)
        {
            chainKey = SignalSharp.Ratchet.ChainKdf.Step(chainKey, new byte[32]);
        }

        state.SenderChain = new ChainState(chain.RatchetKey, chain.RatchetPrivateKey, chainKey, SessionRatchet.MaxForwardJumps + 1);
        record.SetCurrentState(state);
        await alice.Store.StoreSessionAsync(bob.Address, record);
        var far = await alice.EncryptAsync(bob, "far");
        var before = await bob.SnapshotAsync(alice);
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, far));
        Assert.Equal(before, await bob.SnapshotAsync(alice));
    }

    [Fact]
    public async Task SkippedKeysBeyondTheLimitAreForgotten()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "y"));
        var dropped = await alice.EncryptAsync(bob, "dropped");
        var kept = await alice.EncryptAsync(bob, "kept");
        var record = (await alice.Store.LoadSessionAsync(bob.Address))!;
        var state = record.Current!.Clone();
        var chain = state.SenderChain;
        var chainKey = chain.ChainKey;
        for (int i = 0; i < SessionRatchet.MaxSkippedKeysPerChain - 1; i++)
        {
            chainKey = SignalSharp.Ratchet.ChainKdf.Step(chainKey, new byte[32]);
        }

        state.SenderChain = new ChainState(chain.RatchetKey, chain.RatchetPrivateKey, chainKey, chain.Index + SessionRatchet.MaxSkippedKeysPerChain - 1);
        record.SetCurrentState(state);
        await alice.Store.StoreSessionAsync(bob.Address, record);
        Assert.Equal("last", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "last")));

        // 2,001 keys were skipped; only the newest 2,000 are kept, so the very first is gone.
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, dropped));
        Assert.Equal("kept", await bob.DecryptAsync(alice, kept));
    }

    [Fact]
    public async Task NoteToSelfBetweenOwnDevicesHasNoForwardJumpLimit()
    {
        var (phone, laptop) = await AnsweredNoteToSelfSessionAsync();

        var record = (await phone.Store.LoadSessionAsync(laptop.Address))!;
        var state = record.Current!.Clone();
        var chain = state.SenderChain;
        var chainKey = chain.ChainKey;
        for (uint i = 0; i < SessionRatchet.MaxForwardJumps + 10; i++)
        {
            chainKey = SignalSharp.Ratchet.ChainKdf.Step(chainKey, new byte[32]);
        }

        state.SenderChain = new ChainState(chain.RatchetKey, chain.RatchetPrivateKey, chainKey, chain.Index + SessionRatchet.MaxForwardJumps + 10);
        record.SetCurrentState(state);
        await phone.Store.StoreSessionAsync(laptop.Address, record);
        Assert.Equal("far", await laptop.DecryptAsync(phone, await phone.EncryptAsync(laptop, "far")));
    }

    [Fact]
    public async Task NoteToSelfAcceptsASpqrKeyMoreThan25000Ahead()
    {
        // libsignal gives sessions between equal identity keys an unlimited SPQR jump (its spqr_chain_params for a
        // self session); the Double Ratchet side is unlimited for the same account. Every message moves the SPQR
        // sending index by one, so this is a real jump of 25,010 keys in both ratchets.
        var (phone, laptop) = await AnsweredNoteToSelfSessionAsync();

        var cipher = phone.CipherFor(laptop);
        var filler = new byte[1];
        for (uint i = 0; i < SignalSharp.Spqr.SpqrChain.MaxJump + 10; i++)
        {
            await cipher.EncryptAsync(filler);
        }

        Assert.Equal("far", await laptop.DecryptAsync(phone, await phone.EncryptAsync(laptop, "far")));
    }

    /// <summary>Two devices of one account (same ServiceId, same identity key) with an answered session.</summary>
    private static async Task<(TestParty Phone, TestParty Laptop)> AnsweredNoteToSelfSessionAsync()
    {
        const string me = "9d0652a3-dcc3-4d11-975f-74d61598733f";
        var phone = new TestParty(me, 1);
        var laptop = new TestParty(me, 2, phone.Identity);
        await phone.StartSessionWithAsync(laptop);
        await laptop.DecryptAsync(phone, await phone.EncryptAsync(laptop, "x"));
        await phone.DecryptAsync(laptop, await laptop.EncryptAsync(phone, "y"));
        return (phone, laptop);
    }
}
