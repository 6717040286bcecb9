using System.Text;
using Microsoft.Data.Sqlite;
using SignalSharp.Groups;
using SignalSharp.Storage.Sql;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// Group rosters in SQLite (sealed rows in their own table, schema step 3): a <see cref="GroupSession"/> opened over
/// a reopened database file keeps its distribution id, members and key holders, and backups carry the rosters.
/// </summary>
public sealed class GroupRosterPersistenceTests : IDisposable
{
    private const string GroupId = "family";
    private static readonly ProtocolAddress Alice = new("alice", 1);
    private readonly TempDatabase _db = new();
    private readonly byte[] _key = TempDatabase.NewKey();
    private readonly Member _bob = new("bob");
    private readonly Member _carol = new("carol");

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task RosterAndDistributionIdSurviveARestartWithoutRedistributionAndRotationStillWorks()
    {
        Guid distributionId;
        SenderKeyMessage first;
        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = await SqliteSignalProtocolStore.CreateAsync(_db.Path, _key, identity, 1))
        {
            var group = await GroupSession.OpenAsync(new GroupCipher(store), store, Alice, GroupId, Send);
            await group.AddMembersAsync([_bob.Address, _carol.Address]);
            distributionId = group.DistributionId;
            first = await group.EncryptAsync(Utf8("before the restart"));
        }

        Assert.Equal(2, _deliveries.Count);

        // A new store object over the same file and a new session: the same group, nothing sent again.
        using (var store = await SqliteSignalProtocolStore.OpenAsync(_db.Path, _key))
        {
            var group = await GroupSession.OpenAsync(new GroupCipher(store), store, Alice, GroupId, Send);
            Assert.Equal(distributionId, group.DistributionId);
            Assert.Equal(new[] { _bob.Address, _carol.Address }, group.Members);
            var second = await group.EncryptAsync(Utf8("after the restart"));
            Assert.Equal(first.ChainId, second.ChainId);
            Assert.Equal(2, _deliveries.Count);
            Assert.Equal("after the restart", await _bob.DecryptAsync(second));
            Assert.Equal("after the restart", await _carol.DecryptAsync(second));

            // Carol leaves: the key rotates and only bob is sent the new one.
            await group.RemoveMembersAsync([_carol.Address]);
            Assert.Equal(3, _deliveries.Count);
            Assert.Equal(_bob.Address, _deliveries[^1]);
        }

        using (var store = await SqliteSignalProtocolStore.OpenAsync(_db.Path, _key))
        {
            var group = await GroupSession.OpenAsync(new GroupCipher(store), store, Alice, GroupId, Send);
            Assert.Equal(new[] { _bob.Address }, group.Members);
            var third = await group.EncryptAsync(Utf8("without carol"));
            Assert.NotEqual(first.ChainId, third.ChainId);
            Assert.Equal(3, _deliveries.Count);
            Assert.Equal("without carol", await _bob.DecryptAsync(third));
            await Assert.ThrowsAsync<NoSenderKeyException>(async () => await _carol.DecryptAsync(third));
        }
    }

    [Fact]
    public async Task ABackupCarriesTheRosterAndTheRestoredDeviceSendsItsNewChainToEveryMember()
    {
        byte[] backup;
        Guid distributionId;
        uint chainBefore;
        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = await SqliteSignalProtocolStore.CreateAsync(_db.Path, _key, identity, 1))
        using (var secret = BackupSecret.FromKey(_key))
        {
            var group = await GroupSession.OpenAsync(new GroupCipher(store), store, Alice, GroupId, Send);
            await group.AddMembersAsync([_bob.Address, _carol.Address]);
            distributionId = group.DistributionId;
            chainBefore = (await group.EncryptAsync(Utf8("before the backup"))).ChainId;
            using var stream = new MemoryStream();
            await store.ExportBackupAsync(stream, secret);
            backup = stream.ToArray();
        }

        using (var secret = BackupSecret.FromKey(_key))
        using (var restored = await SqliteSignalProtocolStore.ImportBackupAsync(new MemoryStream(backup), secret, _db.Sibling("restored.db"), TempDatabase.NewKey()))
        {
            var roster = await restored.LoadGroupRosterAsync(GroupId);
            Assert.Equal(distributionId, roster!.DistributionId);
            Assert.Equal(new[] { _bob.Address, _carol.Address }, roster.Members);

            // The backup leaves the device's own sending chain out, so the restored device starts a new chain and
            // every member is sent it, even though the roster says they held the old one.
            var group = await GroupSession.OpenAsync(new GroupCipher(restored), restored, Alice, GroupId, Send);
            var message = await group.EncryptAsync(Utf8("restored"));
            Assert.NotEqual(chainBefore, message.ChainId);
            Assert.Equal(4, _deliveries.Count);
            Assert.Equal("restored", await _bob.DecryptAsync(message));
            Assert.Equal("restored", await _carol.DecryptAsync(message));
        }
    }

    [Fact]
    public async Task RostersAreSealedDeletableAndSeparateFromOtherGroups()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var store = await SqliteSignalProtocolStore.CreateAsync(_db.Path, _key, identity, 1);
        var group = await GroupSession.OpenAsync(new GroupCipher(store), store, Alice, GroupId, Send);
        await group.AddMembersAsync([new ProtocolAddress("a-rather-distinctive-member-name", 1)]);
        Assert.Null(await store.LoadGroupRosterAsync("another group"));
        Assert.True(TempDatabase.RawBytes(_db.Path).AsSpan().IndexOf("a-rather-distinctive-member-name"u8) < 0, "a member name is stored in the clear");

        await store.DeleteGroupRosterAsync(GroupId);
        Assert.Null(await store.LoadGroupRosterAsync(GroupId));
    }

    [Fact]
    public async Task AVersionTwoDatabaseGainsTheRosterTableAndKeepsItsRecords()
    {
        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = await SqliteSignalProtocolStore.CreateAsync(_db.Path, _key, identity, 7))
        {
            await store.StoreDeviceListAsync("bob", new Devices.DeviceList([new Devices.DeviceEntry(1, 11)]));
        }

        // Make it what the previous release wrote: the first two steps applied.
        using (var connection = Connect())
        using (var downgrade = connection.CreateCommand())
        {
            downgrade.CommandText = "DROP TABLE group_rosters; UPDATE schema_version SET version = 2";
            downgrade.ExecuteNonQuery();
        }

        using (var upgraded = await SqliteSignalProtocolStore.OpenAsync(_db.Path, _key))
        {
            Assert.NotNull(await upgraded.LoadDeviceListAsync("bob"));
            Assert.Null(await upgraded.LoadGroupRosterAsync(GroupId));
            await GroupSession.OpenAsync(new GroupCipher(upgraded), upgraded, Alice, GroupId, Send);
        }

        using (var connection = Connect())
        {
            Assert.Equal(3, Schema.ReadVersion(connection));
        }

        using var again = await SqliteSignalProtocolStore.OpenAsync(_db.Path, _key);
        Assert.NotNull(await again.LoadGroupRosterAsync(GroupId));
    }

    private readonly List<ProtocolAddress> _deliveries = [];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private async ValueTask Send(ProtocolAddress to, byte[] distributionMessage, CancellationToken cancellationToken)
    {
        _deliveries.Add(to);
        var member = to.Equals(_bob.Address) ? _bob : _carol;
        await member.Cipher.ProcessDistributionMessageAsync(Alice, distributionMessage, cancellationToken);
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private sealed class Member(string name)
    {
        public ProtocolAddress Address { get; } = new(name, 1);

        public GroupCipher Cipher { get; } = new(new InMemorySenderKeyStore());

        public async Task<string> DecryptAsync(SenderKeyMessage message)
            => Encoding.UTF8.GetString(await Cipher.DecryptAsync(Alice, message));
    }
}
