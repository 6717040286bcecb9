using Microsoft.Data.Sqlite;

namespace SignalSharp.Storage.Sql;

/// <summary>
/// The database schema as an ordered list of migrations. <c>schema_version</c> holds the number of migrations
/// applied; opening a database applies the missing ones, each in its own transaction together with the version
/// bump, so a crash leaves the database at a whole version. A database from a newer library is refused untouched.
/// </summary>
internal static class Schema
{
    /// <summary>Migration <c>i</c> takes the database from version <c>i</c> to <c>i + 1</c>. Append only; never edit one that shipped.</summary>
    internal static readonly string[][] Migrations =
    [
        [
            // meta: the key check (a sealed constant that proves the storage key on open).
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
            // records: every stored record, sealed. k is the row key (ids, or keyed tags standing in for names);
            // grp is the name tag of session rows, for listing a user's devices.
            "CREATE TABLE records (kind INTEGER NOT NULL, k BLOB NOT NULL, grp BLOB, value BLOB NOT NULL, PRIMARY KEY (kind, k)) WITHOUT ROWID",
            "CREATE INDEX records_grp ON records (kind, grp) WHERE grp IS NOT NULL",
        ],
        SqliteSignalProtocolStore.DeviceListsMigration,
        SqliteSignalProtocolStore.GroupRostersMigration,
    ];

    /// <summary>The version this library writes and reads.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Reads the version, 0 for a database without the version table.</summary>
    /// <exception cref="StorageCorruptedException">The version table holds no, several or an out-of-range version.</exception>
    public static int ReadVersion(SqliteConnection connection)
    {
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return 0;
        }

        // The table is written only together with the migration it records, so it holds exactly one version in
        // 1..int.MaxValue; anything else was planted (the table is not sealed) and must not reach the migration loop.
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT version FROM schema_version LIMIT 2";
        using var reader = read.ExecuteReader();
        if (!reader.Read() || reader.GetValue(0) is not long version || reader.Read() || version is < 1 or > int.MaxValue)
        {
            throw new StorageCorruptedException("the schema version table does not hold one valid version");
        }

        return (int)version;
    }

    /// <summary>Brings the database to <see cref="CurrentVersion"/>.</summary>
    /// <exception cref="StorageVersionException">The database is newer than this library.</exception>
    public static void Migrate(SqliteConnection connection) => Migrate(connection, Migrations);

    /// <summary>Applies <paramref name="migrations"/> (tests pass longer lists to exercise upgrades).</summary>
    internal static void Migrate(SqliteConnection connection, string[][] migrations)
    {
        int version = ReadVersion(connection);
        if (version > migrations.Length)
        {
            throw new StorageVersionException($"the database has schema version {version}; this library supports up to {migrations.Length}");
        }

        for (; version < migrations.Length; version++)
        {
            using var tx = connection.BeginTransaction();
            var statements = version == 0
                ? ["CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", .. migrations[0]]
                : migrations[version];
            foreach (string sql in statements)
            {
                using var command = connection.CreateCommand();
                command.Transaction = tx;
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }

            using (var bump = connection.CreateCommand())
            {
                bump.Transaction = tx;
                bump.CommandText = "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ($v)";
                bump.Parameters.AddWithValue("$v", version + 1);
                bump.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }
}
