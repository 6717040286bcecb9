using SignalSharp;
using SignalSharp.Groups;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// The behavioural contract of the store interfaces (their XML docs and the in-memory stores' semantics), run
/// against every implementation by the subclasses below.
/// </summary>
public abstract class StoreContractTests : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>Creates an empty store for a local identity; the base class disposes what it returns via <see cref="Own"/>.</summary>
    protected abstract ISignalProtocolStore CreateStore(IdentityKeyPair identity, uint registrationId);

    /// <summary>An empty sender-key store.</summary>
    protected abstract ISenderKeyStore CreateSenderKeyStore();

    /// <summary>The concrete store's <c>RemoveSignedPreKeyAsync</c> (the interfaces have no removal).</summary>
    protected abstract ValueTask RemoveSignedPreKeyAsync(ISignalProtocolStore store, uint signedPreKeyId);

    /// <summary>The concrete store's <c>RemoveKyberPreKeyAsync</c> (the interfaces have no removal).</summary>
    protected abstract ValueTask RemoveKyberPreKeyAsync(ISignalProtocolStore store, uint kyberPreKeyId);

    protected T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_owned))
        {
            item.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private ISignalProtocolStore NewStore(out IdentityKeyPair identity)
    {
        identity = Own(KeyHelper.GenerateIdentityKeyPair());
        return CreateStore(identity, 4242);
    }

    /// <summary>Bob publishes a bundle and Alice sends "late" with it; Bob has not received it yet.</summary>
    private async Task<(Device Alice, Device Bob, PreKeyBundle Bundle, CiphertextMessage Message)> PendingPreKeyMessageAsync(bool lastResortKyber)
    {
        var alice = new Device(new ProtocolAddress("alice", 1), NewStore(out _));
        var bob = new Device(new ProtocolAddress("bob", 1), NewStore(out _));
        var bundle = await bob.PublishBundleAsync(lastResortKyber);
        await new SessionBuilder(alice.Store, bob.Address).ProcessPreKeyBundleAsync(bundle);
        return (alice, bob, bundle, await alice.EncryptAsync(bob, "late"));
    }

    [Fact]
    public async Task LocalIdentityAndRegistrationIdComeBackAsStored()
    {
        var store = NewStore(out var identity);
        using var loaded = await store.GetIdentityKeyPairAsync();
        Assert.Equal(identity.Serialize(), loaded.Serialize());
        Assert.Equal(4242u, await store.GetLocalRegistrationIdAsync());
    }

    [Fact]
    public async Task FirstIdentityIsTrustedAndAChangedOneIsNotUntilSaved()
    {
        var store = NewStore(out _);
        var bob = new ProtocolAddress("bob", 1);
        var first = KeyHelper.GenerateIdentityKeyPair().IdentityKey;
        var second = KeyHelper.GenerateIdentityKeyPair().IdentityKey;

        Assert.Null(await store.GetIdentityAsync(bob));
        Assert.True(await store.IsTrustedIdentityAsync(bob, first, Direction.Sending));
        Assert.False(await store.SaveIdentityAsync(bob, first));
        Assert.False(await store.SaveIdentityAsync(bob, first));
        Assert.Equal(first, await store.GetIdentityAsync(bob));
        Assert.True(await store.IsTrustedIdentityAsync(bob, first, Direction.Receiving));
        Assert.False(await store.IsTrustedIdentityAsync(bob, second, Direction.Sending));
        Assert.False(await store.IsTrustedIdentityAsync(bob, second, Direction.Receiving));

        Assert.True(await store.SaveIdentityAsync(bob, second));
        Assert.True(await store.IsTrustedIdentityAsync(bob, second, Direction.Sending));
        Assert.False(await store.IsTrustedIdentityAsync(bob, first, Direction.Sending));
    }

    [Fact]
    public async Task TrustIsKeyedByNameSoAllDevicesOfAUserShareIt()
    {
        var store = NewStore(out _);
        var key = KeyHelper.GenerateIdentityKeyPair().IdentityKey;
        var other = KeyHelper.GenerateIdentityKeyPair().IdentityKey;
        await store.SaveIdentityAsync(new ProtocolAddress("bob", 1), key);

        Assert.Equal(key, await store.GetIdentityAsync(new ProtocolAddress("bob", 7)));
        Assert.False(await store.IsTrustedIdentityAsync(new ProtocolAddress("bob", 7), other, Direction.Sending));
        Assert.Null(await store.GetIdentityAsync(new ProtocolAddress("bobby", 1)));
        Assert.True(await store.IsTrustedIdentityAsync(new ProtocolAddress("Bob", 1), other, Direction.Sending));
    }

    [Fact]
    public async Task SessionsAreStoredPerDeviceAndListedInOrder()
    {
        var aliceStore = NewStore(out _);
        var alice = new Device(new ProtocolAddress("alice", 1), aliceStore);
        var bobs = new List<Device>();
        var bobIdentity = Own(KeyHelper.GenerateIdentityKeyPair());
        foreach (int deviceId in new[] { 9, 2, 5 })
        {
            var bob = new Device(new ProtocolAddress("bob", deviceId), CreateStore(bobIdentity, (uint)deviceId));
            await alice.StartSessionWithAsync(bob);
            bobs.Add(bob);
        }

        var carol = new Device(new ProtocolAddress("carol", 3), NewStore(out _));
        await alice.StartSessionWithAsync(carol);

        Assert.Equal([2, 5, 9], await aliceStore.GetDeviceIdsAsync("bob"));
        Assert.Equal([3], await aliceStore.GetDeviceIdsAsync("carol"));
        Assert.Empty(await aliceStore.GetDeviceIdsAsync("dave"));

        var record = await aliceStore.LoadSessionAsync(bobs[0].Address);
        Assert.NotNull(record);
        Assert.Equal(record.Serialize(), (await aliceStore.LoadSessionAsync(bobs[0].Address))!.Serialize());
        Assert.Null(await aliceStore.LoadSessionAsync(new ProtocolAddress("bob", 1)));

        await aliceStore.DeleteSessionAsync(new ProtocolAddress("bob", 5));
        await aliceStore.DeleteSessionAsync(new ProtocolAddress("nobody", 1));
        Assert.Null(await aliceStore.LoadSessionAsync(new ProtocolAddress("bob", 5)));
        Assert.Equal([2, 9], await aliceStore.GetDeviceIdsAsync("bob"));
    }

    [Fact]
    public async Task StoredSessionIsACopyTheCallerCannotChange()
    {
        var aliceStore = NewStore(out _);
        var alice = new Device(new ProtocolAddress("alice", 1), aliceStore);
        var bob = new Device(new ProtocolAddress("bob", 1), NewStore(out _));
        await alice.StartSessionWithAsync(bob);
        var loaded = (await aliceStore.LoadSessionAsync(bob.Address))!;
        byte[] before = loaded.Serialize();
        loaded.ArchiveCurrentState();

        Assert.Equal(before, (await aliceStore.LoadSessionAsync(bob.Address))!.Serialize());
        await aliceStore.StoreSessionAsync(bob.Address, loaded);
        Assert.Equal(loaded.Serialize(), (await aliceStore.LoadSessionAsync(bob.Address))!.Serialize());
    }

    [Fact]
    public async Task PreKeysAreStoredLoadedAndRemovedById()
    {
        var store = NewStore(out var identity);
        using var pre = KeyHelper.GeneratePreKeys(17, 1)[0];
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 5, 99);

        Assert.Null(await store.LoadPreKeyAsync(17));
        await store.StorePreKeyAsync(17, pre);
        await store.StoreSignedPreKeyAsync(5, signed);
        using (var loaded = await store.LoadPreKeyAsync(17))
        {
            Assert.Equal(pre.Serialize(), loaded!.Serialize());
        }

        using (var loadedSigned = await store.LoadSignedPreKeyAsync(5))
        {
            Assert.Equal(signed.Serialize(), loadedSigned!.Serialize());
        }

        Assert.Null(await store.LoadSignedPreKeyAsync(6));
        await store.RemovePreKeyAsync(17);
        await store.RemovePreKeyAsync(18);
        Assert.Null(await store.LoadPreKeyAsync(17));
    }

    [Fact]
    public async Task UsedOneTimeKyberKeyIsDeleted()
    {
        var store = NewStore(out var identity);
        using var kyber = KeyHelper.GenerateKyberPreKeys(identity, 30, 1, 7)[0];
        await store.StoreKyberPreKeyAsync(30, kyber);
        using (var loaded = await store.LoadKyberPreKeyAsync(30))
        {
            Assert.Equal(kyber.Serialize(), loaded!.Serialize());
        }

        var baseKey = EcKeyPair.Generate().PublicKey;
        await store.MarkKyberPreKeyUsedAsync(30, 1, baseKey);
        Assert.Null(await store.LoadKyberPreKeyAsync(30));
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.MarkKyberPreKeyUsedAsync(30, 1, baseKey).AsTask());
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.MarkKyberPreKeyUsedAsync(31, 1, baseKey).AsTask());
    }

    [Fact]
    public async Task LastResortKyberKeyIsKeptAndARepeatedTripleIsAReplay()
    {
        var store = NewStore(out var identity);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 40, 7);
        await store.StoreKyberPreKeyAsync(40, kyber);
        var baseKey = EcKeyPair.Generate().PublicKey;
        var otherBaseKey = EcKeyPair.Generate().PublicKey;

        await store.MarkKyberPreKeyUsedAsync(40, 1, baseKey);
        await Assert.ThrowsAsync<InvalidMessageException>(() => store.MarkKyberPreKeyUsedAsync(40, 1, baseKey).AsTask());
        await store.MarkKyberPreKeyUsedAsync(40, 2, baseKey);
        await store.MarkKyberPreKeyUsedAsync(40, 1, otherBaseKey);
        using var still = await store.LoadKyberPreKeyAsync(40);
        Assert.True(still!.IsLastResort);
    }

    [Fact]
    public async Task RemovedSignedPreKeyLoadsAsNullAndRemovingTwiceIsANoOp()
    {
        var store = NewStore(out var identity);
        using var old = KeyHelper.GenerateSignedPreKey(identity, 5, 1);
        using var current = KeyHelper.GenerateSignedPreKey(identity, 6, 2);
        await store.StoreSignedPreKeyAsync(5, old);
        await store.StoreSignedPreKeyAsync(6, current);

        await RemoveSignedPreKeyAsync(store, 5);
        await RemoveSignedPreKeyAsync(store, 5);
        await RemoveSignedPreKeyAsync(store, 7);

        Assert.Null(await store.LoadSignedPreKeyAsync(5));
        using var kept = await store.LoadSignedPreKeyAsync(6);
        Assert.Equal(current.Serialize(), kept!.Serialize());
    }

    [Fact]
    public async Task RemovedKyberPreKeysLoadAsNullAndRemovingTwiceIsANoOp()
    {
        var store = NewStore(out var identity);
        using var oneTime = KeyHelper.GenerateKyberPreKeys(identity, 30, 1, 7)[0];
        using var lastResort = KeyHelper.GenerateLastResortKyberPreKey(identity, 40, 7);
        using var current = KeyHelper.GenerateLastResortKyberPreKey(identity, 41, 8);
        await store.StoreKyberPreKeyAsync(30, oneTime);
        await store.StoreKyberPreKeyAsync(40, lastResort);
        await store.StoreKyberPreKeyAsync(41, current);

        await RemoveKyberPreKeyAsync(store, 30);
        await RemoveKyberPreKeyAsync(store, 40);
        await RemoveKyberPreKeyAsync(store, 40);
        await RemoveKyberPreKeyAsync(store, 99);

        Assert.Null(await store.LoadKyberPreKeyAsync(30));
        Assert.Null(await store.LoadKyberPreKeyAsync(40));
        using (var kept = await store.LoadKyberPreKeyAsync(41))
        {
            Assert.Equal(current.Serialize(), kept!.Serialize());
        }

        var baseKey = EcKeyPair.Generate().PublicKey;
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.MarkKyberPreKeyUsedAsync(30, 1, baseKey).AsTask());
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.MarkKyberPreKeyUsedAsync(40, 1, baseKey).AsTask());
    }

    [Fact]
    public async Task RemovingALastResortKeyDropsItsReplayEntriesAndNoOthers()
    {
        var store = NewStore(out var identity);
        using var retired = KeyHelper.GenerateLastResortKyberPreKey(identity, 40, 7);
        using var other = KeyHelper.GenerateLastResortKyberPreKey(identity, 41, 7);
        await store.StoreKyberPreKeyAsync(40, retired);
        await store.StoreKyberPreKeyAsync(41, other);
        var baseKey = EcKeyPair.Generate().PublicKey;
        await store.MarkKyberPreKeyUsedAsync(40, 1, baseKey);
        await store.MarkKyberPreKeyUsedAsync(41, 1, baseKey);

        await RemoveKyberPreKeyAsync(store, 40);

        // The only way to see the log of id 40 again is a new key under that id: the old triple is no replay for
        // it any more, because the removal took the log entries along. Key 41's entry is untouched.
        using var successor = KeyHelper.GenerateLastResortKyberPreKey(identity, 40, 8);
        await store.StoreKyberPreKeyAsync(40, successor);
        await store.MarkKyberPreKeyUsedAsync(40, 1, baseKey);
        await Assert.ThrowsAsync<InvalidMessageException>(() => store.MarkKyberPreKeyUsedAsync(40, 1, baseKey).AsTask());
        await Assert.ThrowsAsync<InvalidMessageException>(() => store.MarkKyberPreKeyUsedAsync(41, 1, baseKey).AsTask());
    }

    [Fact]
    public async Task PreKeyMessageNamingARemovedSignedPreKeyFailsWithInvalidKeyIdAndConsumesNothing()
    {
        var (alice, bob, bundle, message) = await PendingPreKeyMessageAsync(lastResortKyber: false);
        using var retired = await bob.Store.LoadSignedPreKeyAsync(bundle.SignedPreKeyId);

        await RemoveSignedPreKeyAsync(bob.Store, bundle.SignedPreKeyId);
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => bob.DecryptAsync(alice, message));

        Assert.Null(await bob.Store.LoadSessionAsync(alice.Address));
        Assert.Null(await bob.Store.GetIdentityAsync(alice.Address));
        // Nothing was consumed (one-time EC and Kyber keys): with the key put back, the same message decrypts.
        await bob.Store.StoreSignedPreKeyAsync(bundle.SignedPreKeyId, retired!);
        Assert.Equal("late", await bob.DecryptAsync(alice, message));
    }

    [Fact]
    public async Task PreKeyMessageNamingARemovedLastResortKeyFailsWithInvalidKeyIdAndConsumesNothing()
    {
        var (alice, bob, bundle, message) = await PendingPreKeyMessageAsync(lastResortKyber: true);
        using var retired = await bob.Store.LoadKyberPreKeyAsync(bundle.KyberPreKeyId);

        await RemoveKyberPreKeyAsync(bob.Store, bundle.KyberPreKeyId);
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => bob.DecryptAsync(alice, message));

        Assert.Null(await bob.Store.LoadSessionAsync(alice.Address));
        Assert.Null(await bob.Store.GetIdentityAsync(alice.Address));
        // Nothing was consumed or logged as used: with the key put back, the same message decrypts.
        await bob.Store.StoreKyberPreKeyAsync(bundle.KyberPreKeyId, retired!);
        Assert.Equal("late", await bob.DecryptAsync(alice, message));
    }

    [Fact]
    public async Task SenderKeysAreKeyedBySenderDeviceAndDistributionId()
    {
        var store = CreateSenderKeyStore();
        var alice = new ProtocolAddress("alice", 1);
        var group = Guid.NewGuid();
        Assert.Null(await store.LoadSenderKeyAsync(alice, group));

        await new GroupCipher(store).CreateDistributionMessageAsync(alice, group);
        using var first = await store.LoadSenderKeyAsync(alice, group);
        Assert.NotNull(first);
        Assert.False(first.IsEmpty);
        Assert.Null(await store.LoadSenderKeyAsync(alice, Guid.NewGuid()));
        Assert.Null(await store.LoadSenderKeyAsync(new ProtocolAddress("alice", 2), group));

        await store.StoreSenderKeyAsync(new ProtocolAddress("bob", 3), group, first);
        using var copy = await store.LoadSenderKeyAsync(new ProtocolAddress("bob", 3), group);
        Assert.Equal(first.Serialize(), copy!.Serialize());
    }

    [Fact]
    public async Task ConversationWorksOverTheStore()
    {
        var alice = new Device(new ProtocolAddress("alice", 1), NewStore(out _));
        var bob = new Device(new ProtocolAddress("bob", 1), NewStore(out _));
        await alice.StartSessionWithAsync(bob);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal($"a{i}", await alice.SendAsync(bob, $"a{i}"));
            Assert.Equal($"b{i}", await bob.SendAsync(alice, $"b{i}"));
        }
    }
}

/// <summary>The contract against the in-memory stores (the reference semantics).</summary>
public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override ISignalProtocolStore CreateStore(IdentityKeyPair identity, uint registrationId) => new InMemorySignalProtocolStore(identity, registrationId);

    protected override ISenderKeyStore CreateSenderKeyStore() => Own(new InMemorySenderKeyStore());

    protected override ValueTask RemoveSignedPreKeyAsync(ISignalProtocolStore store, uint signedPreKeyId)
        => ((InMemorySignalProtocolStore)store).RemoveSignedPreKeyAsync(signedPreKeyId);

    protected override ValueTask RemoveKyberPreKeyAsync(ISignalProtocolStore store, uint kyberPreKeyId)
        => ((InMemorySignalProtocolStore)store).RemoveKyberPreKeyAsync(kyberPreKeyId);
}

/// <summary>The contract against <see cref="SqliteSignalProtocolStore"/>, each store in its own temp file.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override ISignalProtocolStore CreateStore(IdentityKeyPair identity, uint registrationId)
    {
        var db = Own(new TempDatabase());
        return Own(SqliteSignalProtocolStore.Create(db.Path, TempDatabase.NewKey(), identity, registrationId));
    }

    protected override ISenderKeyStore CreateSenderKeyStore()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        return (SqliteSignalProtocolStore)CreateStore(identity, 1);
    }

    protected override ValueTask RemoveSignedPreKeyAsync(ISignalProtocolStore store, uint signedPreKeyId)
        => ((SqliteSignalProtocolStore)store).RemoveSignedPreKeyAsync(signedPreKeyId);

    protected override ValueTask RemoveKyberPreKeyAsync(ISignalProtocolStore store, uint kyberPreKeyId)
        => ((SqliteSignalProtocolStore)store).RemoveKyberPreKeyAsync(kyberPreKeyId);
}
