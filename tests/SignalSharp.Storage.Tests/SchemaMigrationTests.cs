using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Storage.Sql;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>The schema version table and migrations-by-version.</summary>
public sealed class SchemaMigrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void NewDatabaseRecordsTheCurrentVersion()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), identity, 1).Dispose();
        Assert.Equal(2, SqliteSignalProtocolStore.CurrentSchemaVersion);
        using var connection = Connect();
        Assert.Equal(SqliteSignalProtocolStore.CurrentSchemaVersion, Schema.ReadVersion(connection));
    }

    [Fact]
    public void NewerDatabaseIsRefusedAndLeftUntouched()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1).Dispose();
        using (var connection = Connect())
        {
            using var bump = connection.CreateCommand();
            bump.CommandText = "UPDATE schema_version SET version = version + 1";
            bump.ExecuteNonQuery();
        }

        Assert.Throws<StorageVersionException>(() => SqliteSignalProtocolStore.Open(_db.Path, key));
        using var after = Connect();
        Assert.Equal(SqliteSignalProtocolStore.CurrentSchemaVersion + 1, Schema.ReadVersion(after));
    }

    [Fact]
    public async Task LaterMigrationsApplyInOrderOnceAndKeepTheData()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var pre = KeyHelper.GeneratePreKeys(5, 1)[0];
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1))
        {
            await store.StorePreKeyAsync(5, pre);
        }

        string[][] upgraded =
        [
            .. Schema.Migrations,
            ["CREATE TABLE upgrade_log (step INTEGER NOT NULL)", "INSERT INTO upgrade_log VALUES (2)"],
            ["INSERT INTO upgrade_log VALUES (3)"],
        ];
        using (var connection = Connect())
        {
            Schema.Migrate(connection, upgraded);
            Schema.Migrate(connection, upgraded);
            Assert.Equal(Schema.CurrentVersion + 2, Schema.ReadVersion(connection));
            using var steps = connection.CreateCommand();
            steps.CommandText = "SELECT group_concat(step, ',') FROM (SELECT step FROM upgrade_log ORDER BY rowid)";
            Assert.Equal("2,3", steps.ExecuteScalar());
        }

        // The released library sees the two extra steps as a newer version than it knows.
        Assert.Throws<StorageVersionException>(() => SqliteSignalProtocolStore.Open(_db.Path, key));
    }

    [Fact]
    public void FailingMigrationLeavesTheVersionItWasAt()
    {
        using (var connection = Connect())
        {
            string[][] broken = [.. Schema.Migrations, ["CREATE TABLE half (x INTEGER)", "THIS IS NOT SQL"]];
            Assert.Throws<SqliteException>(() => Schema.Migrate(connection, broken));
            Assert.Equal(Schema.CurrentVersion, Schema.ReadVersion(connection));
            using var half = connection.CreateCommand();
            half.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'half'";
            Assert.Equal(0L, half.ExecuteScalar());
        }
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
