using SignalSharp.Groups;
using SignalSharp.RowSnapshots;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>The raw-row snapshots the interop driver uses to undo a failed request (compiled in from the driver).</summary>
public sealed class RowSnapshotTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task RestoringASnapshotUndoesEveryKindOfWrite()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var store = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), identity, 1);
        using var pre = KeyHelper.GeneratePreKeys(1, 1)[0];
        using var kyber = KeyHelper.GenerateKyberPreKeys(identity, 1, 1, 1)[0];
        using var lastResort = KeyHelper.GenerateLastResortKyberPreKey(identity, 2, 1);
        await store.StorePreKeyAsync(1, pre);
        await store.StoreKyberPreKeyAsync(1, kyber);
        await store.StoreKyberPreKeyAsync(2, lastResort);
        var bob = new ProtocolAddress("bob", 1);
        var bobKey = KeyHelper.GenerateIdentityKeyPair().IdentityKey;
        await store.SaveIdentityAsync(bob, bobKey);
        var baseKey = EcKeyPair.Generate().PublicKey;

        object snapshot = SqliteRowSnapshot.Capture(_db.Path);
        await store.RemovePreKeyAsync(1);
        await store.MarkKyberPreKeyUsedAsync(1, 1, baseKey);
        await store.MarkKyberPreKeyUsedAsync(2, 1, baseKey);
        await store.SaveIdentityAsync(bob, KeyHelper.GenerateIdentityKeyPair().IdentityKey);
        var group = Guid.NewGuid();
        await new GroupCipher(store).CreateDistributionMessageAsync(new ProtocolAddress("alice", 1), group);
        var peer = new Device(new ProtocolAddress("carol", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 3));
        await new Device(new ProtocolAddress("alice", 1), store).StartSessionWithAsync(peer);

        SqliteRowSnapshot.Restore(_db.Path, snapshot);

        Assert.NotNull(await store.LoadPreKeyAsync(1));
        Assert.NotNull(await store.LoadKyberPreKeyAsync(1));
        await store.MarkKyberPreKeyUsedAsync(2, 1, baseKey);
        Assert.Equal(bobKey, await store.GetIdentityAsync(bob));
        Assert.Empty(await store.GetDeviceIdsAsync("carol"));
        Assert.Null(await store.LoadSenderKeyAsync(new ProtocolAddress("alice", 1), group));
    }
}
