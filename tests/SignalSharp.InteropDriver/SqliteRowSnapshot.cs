using Microsoft.Data.Sqlite;

namespace SignalSharp.RowSnapshots;

/// <summary>
/// Raw-row snapshots of a <see cref="Storage.SqliteSignalProtocolStore"/> file, taken on a second connection so
/// that the shipping store carries no test hook. A snapshot copies the sealed rows as they are (it holds no
/// plaintext) and restoring it puts back exactly the captured rows in one transaction. The driver handles one
/// request at a time, so the store's own connection is idle while this runs; the store sees this connection's commit
/// (SQLite's data_version) and re-checks the rows it keeps parsed against their versions.
/// </summary>
internal static class SqliteRowSnapshot
{
    public static object Capture(string path)
    {
        using var connection = Open(path);
        var rows = new List<(long Kind, byte[] Key, byte[]? Group, byte[] Value)>();
        using var all = connection.CreateCommand();
        all.CommandText = "SELECT kind, k, grp, value FROM records";
        using var reader = all.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), (byte[])reader[1], reader.IsDBNull(2) ? null : (byte[])reader[2], (byte[])reader[3]));
        }

        return rows;
    }

    public static void Restore(string path, object snapshot)
    {
        var rows = (List<(long Kind, byte[] Key, byte[]? Group, byte[] Value)>)snapshot;
        using var connection = Open(path);
        using var tx = connection.BeginTransaction();
        using (var clear = connection.CreateCommand())
        {
            clear.Transaction = tx;
            clear.CommandText = "DELETE FROM records";
            clear.ExecuteNonQuery();
        }

        foreach (var row in rows)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO records (kind, k, grp, value) VALUES ($kind, $k, $grp, $v)";
            insert.Parameters.AddWithValue("$kind", row.Kind);
            insert.Parameters.AddWithValue("$k", row.Key);
            insert.Parameters.AddWithValue("$grp", (object?)row.Group ?? DBNull.Value);
            insert.Parameters.AddWithValue("$v", row.Value);
            insert.ExecuteNonQuery();
        }

        tx.Commit();
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout = 30000;";
        wait.ExecuteNonQuery();
        return connection;
    }
}
