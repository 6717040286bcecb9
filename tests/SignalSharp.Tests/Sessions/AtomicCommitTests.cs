using System.Text;
using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// A decrypt commits all its store changes at once or none: a store that fails part-way (a full disk) must not
/// consume the pre-keys of a PreKey message without storing its session, so the same message decrypts once the
/// store works again.
/// </summary>
public class AtomicCommitTests
{
    private static readonly ProtocolAddress AliceAddress = new("alice", 1);
    private static readonly ProtocolAddress BobAddress = new("bob", 1);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task PreKeyMessageStillDecryptsAfterTheStoreFailedOnAnyWrite(int failingWrite)
    {
        var alice = new TestParty("alice");
        using var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
        var bob = new TransactionalFaultInjectingStore(new InMemorySignalProtocolStore(bobIdentity, 2));
        var bundle = await PublishAsync(bob, bobIdentity, 7);
        await new SessionBuilder(alice.Store, BobAddress).ProcessPreKeyBundleAsync(bundle);
        var first = await new SessionCipher(alice.Store, AliceAddress, BobAddress).EncryptAsync(Encoding.UTF8.GetBytes("first"));
        var preKeyMessage = PreKeySignalMessage.Deserialize(first.Serialize());
        var bobCipher = new SessionCipher(bob, BobAddress, AliceAddress);

        bob.FailFromWrite(failingWrite);
        byte[]? plaintext = null;
        try
        {
            plaintext = await bobCipher.DecryptAsync(preKeyMessage);
        }
        catch (IOException)
        {
            // The disk was full: nothing may have been committed.
        }

        bob.Heal();
        plaintext ??= await bobCipher.DecryptAsync(preKeyMessage);
        Assert.Equal("first", Encoding.UTF8.GetString(plaintext));
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await bobCipher.DecryptAsync(preKeyMessage));

        // The session goes on in both directions.
        var reply = await bobCipher.EncryptAsync(Encoding.UTF8.GetBytes("reply"));
        var aliceCipher = new SessionCipher(alice.Store, AliceAddress, BobAddress);
        Assert.Equal("reply", Encoding.UTF8.GetString(await aliceCipher.DecryptAsync(SignalMessage.Deserialize(reply.Serialize()))));
    }

    [Fact]
    public async Task AFailedCommitChangesNothing()
    {
        var alice = new TestParty("alice");
        using var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
        var inner = new InMemorySignalProtocolStore(bobIdentity, 2);
        var bob = new TransactionalFaultInjectingStore(inner);
        var bundle = await PublishAsync(bob, bobIdentity, 7);
        await new SessionBuilder(alice.Store, BobAddress).ProcessPreKeyBundleAsync(bundle);
        var first = PreKeySignalMessage.Deserialize((await new SessionCipher(alice.Store, AliceAddress, BobAddress).EncryptAsync(new byte[] { 1 })).Serialize());

        bob.FailFromWrite(1);
        await Assert.ThrowsAsync<IOException>(async () => await new SessionCipher(bob, BobAddress, AliceAddress).DecryptAsync(first));
        Assert.Null(await inner.LoadSessionAsync(AliceAddress));
        Assert.Null(await inner.GetIdentityAsync(AliceAddress));
        using var preKey = await inner.LoadPreKeyAsync(7);
        using var kyber = await inner.LoadKyberPreKeyAsync(7);
        Assert.NotNull(preKey);
        Assert.NotNull(kyber);
    }

    [Fact]
    public async Task AStoreWithoutTheUnitOfWorkStillWorksThroughTheSeparateCalls()
    {
        var alice = new TestParty("alice");
        using var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
        var bob = new FaultInjectingStore(new InMemorySignalProtocolStore(bobIdentity, 2));
        var bundle = await PublishAsync(bob, bobIdentity, 3);
        await new SessionBuilder(alice.Store, BobAddress).ProcessPreKeyBundleAsync(bundle);
        var aliceCipher = new SessionCipher(alice.Store, AliceAddress, BobAddress);
        var bobCipher = new SessionCipher(bob, BobAddress, AliceAddress);

        bob.FailFromWrite(int.MaxValue);
        var message = PreKeySignalMessage.Deserialize((await aliceCipher.EncryptAsync(new byte[] { 1 })).Serialize());
        Assert.Equal([1], await bobCipher.DecryptAsync(message));

        // Four separate writes: Kyber use, identity, one-time pre-key, session.
        Assert.Equal(4, bob.Writes);
        var reply = SignalMessage.Deserialize((await bobCipher.EncryptAsync(new byte[] { 2 })).Serialize());
        Assert.Equal([2], await aliceCipher.DecryptAsync(reply));
    }

    [Fact]
    public async Task ACommitFromAStaleLoadIsRefusedAndWritesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var stale = await alice.Store.LoadSessionForUpdateAsync(bob.Address);
        await alice.EncryptAsync(bob, "moves the record on");
        var afterSend = Convert.ToHexString((await alice.Store.LoadSessionAsync(bob.Address))!.Serialize());

        bool committed = await alice.Store.TryCommitAsync(new SessionCommit(bob.Address, stale.Record!, stale.Version) { Identity = bob.Identity.IdentityKey });

        Assert.False(committed);
        Assert.Equal(afterSend, Convert.ToHexString((await alice.Store.LoadSessionAsync(bob.Address))!.Serialize()));
    }

    [Fact]
    public async Task ARefusedKyberUseInACommitWritesNothing()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        var store = new InMemorySignalProtocolStore(identity, 1);
        var loaded = await store.LoadSessionForUpdateAsync(AliceAddress);
        var commit = new SessionCommit(AliceAddress, new SessionRecord(), loaded.Version)
        {
            Identity = KeyHelper.GenerateIdentityKeyPair().IdentityKey,
            KyberPreKeyUse = new KyberPreKeyUse(99, 1, EcKeyPair.Generate().PublicKey),
        };

        await Assert.ThrowsAsync<InvalidKeyIdException>(async () => await store.TryCommitAsync(commit));
        Assert.Null(await store.LoadSessionAsync(AliceAddress));
        Assert.Null(await store.GetIdentityAsync(AliceAddress));
    }

    [Fact]
    public async Task ACommitRemovingAPreKeyNoLongerHeldWritesNothing()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        var store = new InMemorySignalProtocolStore(identity, 1);
        using var kyber = KeyHelper.GenerateKyberPreKeys(identity, 4, 1, 1)[0];
        await store.StoreKyberPreKeyAsync(4, kyber);
        var loaded = await store.LoadSessionForUpdateAsync(AliceAddress);
        var commit = new SessionCommit(AliceAddress, new SessionRecord(), loaded.Version)
        {
            RemovedPreKeyId = 9,
            KyberPreKeyUse = new KyberPreKeyUse(4, 1, EcKeyPair.Generate().PublicKey),
        };

        await Assert.ThrowsAsync<InvalidKeyIdException>(async () => await store.TryCommitAsync(commit));
        Assert.Null(await store.LoadSessionAsync(AliceAddress));
        using var stillThere = await store.LoadKyberPreKeyAsync(4);
        Assert.NotNull(stillThere);
    }

    private static async Task<PreKeyBundle> PublishAsync(ISignalProtocolStore store, IdentityKeyPair identity, uint id)
    {
        using var signed = KeyHelper.GenerateSignedPreKey(identity, id, 1_700_000_000_000);
        using var kyber = KeyHelper.GenerateKyberPreKeys(identity, id, 1, 1_700_000_000_000)[0];
        using var pre = KeyHelper.GeneratePreKeys(id, 1)[0];
        await store.StoreSignedPreKeyAsync(id, signed);
        await store.StoreKyberPreKeyAsync(id, kyber);
        await store.StorePreKeyAsync(id, pre);
        return new PreKeyBundle(2, 1, id, pre.PublicKey, id, signed.PublicKey, signed.Signature, identity.IdentityKey, id, kyber.PublicKey, kyber.Signature);
    }
}
