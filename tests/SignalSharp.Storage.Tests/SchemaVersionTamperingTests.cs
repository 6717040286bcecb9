using Microsoft.Data.Sqlite;
using SignalSharp;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// The schema version table is not sealed, so a tampered one is untrusted input (issue 10, 0e): opening the store
/// fails with <see cref="StorageCorruptedException"/>, never IndexOutOfRange, Overflow or a raw SQLite error.
/// </summary>
public sealed class SchemaVersionTamperingTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData("UPDATE schema_version SET version = -1")]
    [InlineData("UPDATE schema_version SET version = 0")]
    [InlineData("UPDATE schema_version SET version = 1099511627776")]
    [InlineData("UPDATE schema_version SET version = 'one'")]
    [InlineData("UPDATE schema_version SET version = 1.5")]
    [InlineData("DELETE FROM schema_version")]
    [InlineData("INSERT INTO schema_version (version) VALUES (1)")]
    public void TamperedSchemaVersionIsACorruptedStoreOnOpen(string tampering)
    {
        byte[] key = TempDatabase.NewKey();
        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        {
            SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1).Dispose();
        }

        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = tampering;
            command.ExecuteNonQuery();
        }

        Assert.Throws<StorageCorruptedException>(() => SqliteSignalProtocolStore.Open(_db.Path, key));
    }
}
