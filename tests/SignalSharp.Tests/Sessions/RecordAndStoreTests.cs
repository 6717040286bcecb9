using SignalSharp;
using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>Local record formats (facts §2 layouts) and the in-memory stores' documented semantics (§10).</summary>
public class RecordAndStoreTests
{
    [Fact]
    public void PreKeyRecordsRoundTrip()
    {
        using var identity = IdentityKeyPair.Generate();
        using var pre = KeyHelper.GeneratePreKeys(41, 1)[0];
        using var pre2 = PreKeyRecord.Deserialize(pre.Serialize());
        Assert.Equal(41u, pre2.Id);
        Assert.Equal(pre.PublicKey, pre2.PublicKey);

        using var signed = KeyHelper.GenerateSignedPreKey(identity, 7, 1234567);
        using var signed2 = SignedPreKeyRecord.Deserialize(signed.Serialize());
        Assert.Equal((7u, 1234567ul), (signed2.Id, signed2.Timestamp));
        Assert.True(identity.IdentityKey.VerifySignature(signed2.PublicKey.Serialize(), signed2.Signature));

        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 9, 42);
        using var kyber2 = KyberPreKeyRecord.Deserialize(kyber.Serialize());
        Assert.True(kyber2.IsLastResort);
        Assert.Equal(kyber.PublicKey.Serialize(), kyber2.PublicKey.Serialize());
        Assert.True(identity.IdentityKey.VerifySignature(kyber2.PublicKey.Serialize(), kyber2.Signature));
    }

    [Fact]
    public void MalformedRecordsFailWithTypedErrors()
    {
        byte[][] inputs = [[0xFF], [0x0A, 0x05, 1, 2, 3, 4, 5], new byte[40]];
        foreach (var bytes in inputs)
        {
            Assert.ThrowsAny<SignalProtocolException>(() => PreKeyRecord.Deserialize(bytes));
            Assert.ThrowsAny<SignalProtocolException>(() => SignedPreKeyRecord.Deserialize(bytes));
            Assert.ThrowsAny<SignalProtocolException>(() => KyberPreKeyRecord.Deserialize(bytes));
            Assert.ThrowsAny<SignalProtocolException>(() => SessionRecord.Deserialize(bytes));
        }

        Assert.Throws<InvalidRecordException>(() => SessionRecord.Deserialize([0x08, 0x02]));
    }

    [Fact]
    public void RegistrationIdsStayInFourteenBits()
    {
        for (int i = 0; i < 2000; i++)
        {
            uint id = KeyHelper.GenerateRegistrationId();
            Assert.InRange(id, 1u, KeyHelper.MaxRegistrationId);
        }
    }

    [Fact]
    public async Task SessionRecordSurvivesSerialization()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        var pending = await bob.EncryptAsync(alice, "y");

        var record = (await alice.Store.LoadSessionAsync(bob.Address))!;
        var copy = SessionRecord.Deserialize(record.Serialize());
        Assert.Equal(record.Serialize(), copy.Serialize());
        await alice.Store.StoreSessionAsync(bob.Address, copy);
        Assert.Equal("y", await alice.DecryptAsync(bob, pending));
    }

    [Fact]
    public async Task IdentityStoreTrustsOnFirstUseByName()
    {
        using var local = IdentityKeyPair.Generate();
        var store = new InMemoryIdentityKeyStore(local, 5);
        using var a = IdentityKeyPair.Generate();
        using var b = IdentityKeyPair.Generate();
        var dev1 = new ProtocolAddress("bob", 1);
        var dev2 = new ProtocolAddress("bob", 2);
        Assert.True(await store.IsTrustedIdentityAsync(dev1, a.IdentityKey, Direction.Sending));
        Assert.False(await store.SaveIdentityAsync(dev1, a.IdentityKey));
        Assert.False(await store.SaveIdentityAsync(dev1, a.IdentityKey));
        Assert.True(await store.IsTrustedIdentityAsync(dev2, a.IdentityKey, Direction.Receiving));
        Assert.False(await store.IsTrustedIdentityAsync(dev2, b.IdentityKey, Direction.Receiving));
        Assert.True(await store.SaveIdentityAsync(dev2, b.IdentityKey));
        Assert.Equal(b.IdentityKey, await store.GetIdentityAsync(dev1));
        Assert.Equal(5u, await store.GetLocalRegistrationIdAsync());
        using var loaded = await store.GetIdentityKeyPairAsync();
        Assert.Equal(local.IdentityKey, loaded.IdentityKey);
    }

    [Fact]
    public async Task KyberStoreDeletesOneTimeKeysAndRejectsLastResortReplays()
    {
        using var identity = IdentityKeyPair.Generate();
        var store = new InMemoryKyberPreKeyStore();
        using var oneTime = KeyHelper.GenerateKyberPreKeys(identity, 1, 1, 0)[0];
        using var lastResort = KeyHelper.GenerateLastResortKyberPreKey(identity, 2, 0);
        await store.StoreKyberPreKeyAsync(1, oneTime);
        await store.StoreKyberPreKeyAsync(2, lastResort);
        using var baseKey = EcKeyPair.Generate();
        using var otherBase = EcKeyPair.Generate();

        await store.MarkKyberPreKeyUsedAsync(1, 5, baseKey.PublicKey);
        Assert.Null(await store.LoadKyberPreKeyAsync(1));

        await store.MarkKyberPreKeyUsedAsync(2, 5, baseKey.PublicKey);
        await store.MarkKyberPreKeyUsedAsync(2, 5, otherBase.PublicKey);
        await store.MarkKyberPreKeyUsedAsync(2, 6, baseKey.PublicKey);
        await Assert.ThrowsAsync<InvalidMessageException>(() => store.MarkKyberPreKeyUsedAsync(2, 5, baseKey.PublicKey).AsTask());
        Assert.NotNull(await store.LoadKyberPreKeyAsync(2));
    }

    [Fact]
    public void RecordTableWipesTheArrayItReplacesAndTheOneItRemoves()
    {
        var table = new SerializedRecordTable();
        byte[] first = [1, 2, 3, 4];
        byte[] second = [5, 6, 7, 8];
        table.Put(9, first);
        table.Put(9, second);
        Assert.Equal(new byte[4], first);
        Assert.Equal([5, 6, 7, 8], second);

        Assert.True(table.Remove(9));
        Assert.Equal(new byte[4], second);
        Assert.False(table.Remove(9));
        Assert.False(table.Contains(9));
    }

    [Fact]
    public async Task RecordsLoadedBeforeARemovalSurviveTheWipe()
    {
        // Loads parse fresh objects: wiping the store's array must not reach a record handed out earlier.
        using var identity = IdentityKeyPair.Generate();
        var store = new InMemorySignalProtocolStore(identity, 1);
        using var pre = KeyHelper.GeneratePreKeys(1, 1)[0];
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, 0);
        await store.StorePreKeyAsync(1, pre);
        await store.StoreSignedPreKeyAsync(1, signed);
        await store.StoreKyberPreKeyAsync(1, kyber);
        using var loadedPre = await store.LoadPreKeyAsync(1);
        using var loadedSigned = await store.LoadSignedPreKeyAsync(1);
        using var loadedKyber = await store.LoadKyberPreKeyAsync(1);

        await store.RemovePreKeyAsync(1);
        await store.RemoveSignedPreKeyAsync(1);
        await store.RemoveKyberPreKeyAsync(1);

        Assert.Equal(pre.Serialize(), loadedPre!.Serialize());
        Assert.Equal(signed.Serialize(), loadedSigned!.Serialize());
        Assert.Equal(kyber.Serialize(), loadedKyber!.Serialize());
    }

    [Fact]
    public async Task StoresHandOutPrivateCopies()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var loaded = (await alice.Store.LoadSessionAsync(bob.Address))!;
        loaded.ArchiveCurrentState();
        Assert.True((await alice.Store.LoadSessionAsync(bob.Address))!.HasCurrentState);
    }

    [Fact]
    public async Task ArchivingALoadedRecordLeavesTheStoredOneUnchanged()
    {
        // The initiator's session still has a pending pre-key, which archiving clears: in the loaded copy only.
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var stored = (await alice.Store.LoadSessionAsync(bob.Address))!.Serialize();
        var loaded = (await alice.Store.LoadSessionAsync(bob.Address))!;
        loaded.ArchiveCurrentState();
        Assert.Equal(stored, (await alice.Store.LoadSessionAsync(bob.Address))!.Serialize());
    }

    [Fact]
    public async Task DecryptingInAStateCloneLeavesTheOriginalUnchanged()
    {
        // Clones share chains copy-on-write; skipping keys, using a skipped key and a DH ratchet step in a
        // clone must not show in the state it was cloned from.
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "y"));
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "0"));
        var first = (SignalMessage)await alice.EncryptAsync(bob, "1");
        var second = (SignalMessage)await alice.EncryptAsync(bob, "2");
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "z"));
        var third = (SignalMessage)await alice.EncryptAsync(bob, "3");

        // Once as the store hands it out (a state that was itself a clone), once freshly parsed.
        var loaded = (await bob.Store.LoadSessionAsync(alice.Address))!;
        foreach (var record in new[] { loaded, SessionRecord.Deserialize(loaded.Serialize()) })
        {
            var original = record.Current!;
            var before = record.Serialize();

            var skipping = original.Clone();
            Assert.Equal("2"u8.ToArray(), SessionRatchet.Decrypt(skipping, second, bob.Address, alice.Address, RandomSource.Secure));
            Assert.Equal(before, record.Serialize());

            var afterSkip = new SessionRecord();
            afterSkip.SetCurrentState(skipping);
            var skippedBefore = afterSkip.Serialize();
            var usingSkipped = skipping.Clone();
            Assert.Equal("1"u8.ToArray(), SessionRatchet.Decrypt(usingSkipped, first, bob.Address, alice.Address, RandomSource.Secure));
            Assert.Equal(skippedBefore, afterSkip.Serialize());

            var stepping = original.Clone();
            Assert.Equal("3"u8.ToArray(), SessionRatchet.Decrypt(stepping, third, bob.Address, alice.Address, RandomSource.Secure));
            Assert.Equal(before, record.Serialize());
            Assert.Equal(original.ReceiverChains.Count + 1, stepping.ReceiverChains.Count);
        }
    }
}
