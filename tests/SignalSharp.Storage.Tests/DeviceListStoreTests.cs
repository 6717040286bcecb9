using System.Text;
using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Devices;
using SignalSharp.Storage.Sql;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>Device lists in SQLite (sealed rows in their own table, schema step 2) behave like the in-memory store and persist.</summary>
public sealed class DeviceListStoreTests : IDisposable
{
    private static readonly DeviceList BobsDevices = new([new DeviceEntry(1, 1111), new DeviceEntry(3, 3333)]);
    private readonly TempDatabase _db = new();
    private readonly byte[] _key = TempDatabase.NewKey();

    public void Dispose() => _db.Dispose();

    public static TheoryData<string> Stores => ["memory", "sqlite"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task StoredListsComeBackPerUserAndCanBeReplacedAndDeleted(string kind)
    {
        using var owner = NewStore(kind, out var store);

        Assert.Null(await store.LoadDeviceListAsync("bob"));
        await store.StoreDeviceListAsync("bob", BobsDevices);
        await store.StoreDeviceListAsync("carol", DeviceList.Empty);
        Assert.Equal(BobsDevices.Devices, (await store.LoadDeviceListAsync("bob"))!.Devices);
        Assert.Equal(0, (await store.LoadDeviceListAsync("carol"))!.Count);
        Assert.Null(await store.LoadDeviceListAsync("Bob"));

        await store.StoreDeviceListAsync("bob", BobsDevices.Without(1));
        Assert.Equal([3], (await store.LoadDeviceListAsync("bob"))!.Devices.Select(d => d.DeviceId));

        await store.DeleteDeviceListAsync("bob");
        await store.DeleteDeviceListAsync("nobody");
        Assert.Null(await store.LoadDeviceListAsync("bob"));
        Assert.NotNull(await store.LoadDeviceListAsync("carol"));
    }

    [Fact]
    public async Task ListsSurviveClosingAndReopeningTheDatabase()
    {
        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, _key, identity, 7))
        {
            await store.StoreDeviceListAsync("bob", BobsDevices);
        }

        using var reopened = SqliteSignalProtocolStore.Open(_db.Path, _key);
        Assert.Equal(BobsDevices.Devices, (await reopened.LoadDeviceListAsync("bob"))!.Devices);
    }

    [Fact]
    public async Task NamesAndRegistrationIdsAreNotStoredInTheClear()
    {
        const string name = "zebra-unicorn-4711";
        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, _key, identity, 7))
        {
            await store.StoreDeviceListAsync(name, new DeviceList([new DeviceEntry(5, 0x5A5A5A5A)]));
        }

        byte[] raw = TempDatabase.RawBytes(_db.Path);
        Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(name)));
        Assert.Equal(-1, raw.AsSpan().IndexOf(new byte[] { 0x5A, 0x5A, 0x5A, 0x5A }));
    }

    [Fact]
    public async Task AListMovedToAnotherUsersRowIsRefusedAsCorruption()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var store = SqliteSignalProtocolStore.Create(_db.Path, _key, identity, 7);
        await store.StoreDeviceListAsync("bob", BobsDevices);
        await store.StoreDeviceListAsync("carol", DeviceList.Empty);

        using (var connection = Connect())
        using (var move = connection.CreateCommand())
        {
            move.CommandText = "UPDATE device_lists SET value = (SELECT value FROM device_lists ORDER BY length(value) DESC LIMIT 1)";
            Assert.Equal(2, move.ExecuteNonQuery());
        }

        // One of the two rows now holds the other's value: whichever it is, it fails authentication.
        var bob = await Record(() => store.LoadDeviceListAsync("bob").AsTask());
        var carol = await Record(() => store.LoadDeviceListAsync("carol").AsTask());
        Assert.Single(new[] { bob, carol }, e => e is StorageCorruptedException);
    }

    [Fact]
    public async Task AVersionOneDatabaseGainsTheDeviceListTableAndKeepsItsRecords()
    {
        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, _key, identity, 7))
        using (var pre = KeyHelper.GeneratePreKeys(9, 1)[0])
        {
            await store.StorePreKeyAsync(9, pre);
        }

        // Make it what the previous release wrote: only the first step applied.
        using (var connection = Connect())
        using (var downgrade = connection.CreateCommand())
        {
            downgrade.CommandText = "DROP TABLE device_lists; UPDATE schema_version SET version = 1";
            downgrade.ExecuteNonQuery();
        }

        using (var upgraded = SqliteSignalProtocolStore.Open(_db.Path, _key))
        {
            Assert.NotNull(await upgraded.LoadPreKeyAsync(9));
            Assert.Null(await upgraded.LoadDeviceListAsync("bob"));
            await upgraded.StoreDeviceListAsync("bob", BobsDevices);
        }

        using (var connection = Connect())
        {
            Assert.Equal(2, Schema.ReadVersion(connection));
        }

        using var again = SqliteSignalProtocolStore.Open(_db.Path, _key);
        Assert.Equal(BobsDevices.Devices, (await again.LoadDeviceListAsync("bob"))!.Devices);
    }

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private IDisposable NewStore(string kind, out IDeviceListStore store)
    {
        if (kind == "memory")
        {
            store = new InMemoryDeviceListStore();
            return new Nothing();
        }

        using var identity = KeyHelper.GenerateIdentityKeyPair();
        var sqlite = SqliteSignalProtocolStore.Create(_db.Path, _key, identity, 7);
        store = sqlite;
        return sqlite;
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
