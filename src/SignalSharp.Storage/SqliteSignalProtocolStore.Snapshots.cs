namespace SignalSharp.Storage;

/// <summary>
/// Raw-row snapshots for test harnesses (the interop driver): a snapshot copies the sealed rows as they are, so it
/// holds no plaintext, and restoring it puts back exactly the state captured, in one transaction.
/// </summary>
public sealed partial class SqliteSignalProtocolStore
{
    /// <summary>Copies every sealed record row.</summary>
    internal object CaptureRows() => Guarded(() =>
    {
        var rows = new List<(long Kind, byte[] Key, byte[]? Group, byte[] Value)>();
        using var all = Command("SELECT kind, k, grp, value FROM records", null);
        using var reader = all.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), Blob(reader, 1), reader.IsDBNull(2) ? null : Blob(reader, 2), Blob(reader, 3)));
        }

        return (object)rows;
    });

    /// <summary>Replaces every record row by the rows of <paramref name="snapshot"/>.</summary>
    internal void RestoreRows(object snapshot)
    {
        var rows = (List<(long Kind, byte[] Key, byte[]? Group, byte[] Value)>)snapshot;
        Guarded(() =>
        {
            ForgetCachedRows();
            using var tx = _connection.BeginTransaction();
            using (var clear = Command("DELETE FROM records", tx))
            {
                clear.ExecuteNonQuery();
            }

            foreach (var row in rows)
            {
                using var insert = Command("INSERT INTO records (kind, k, grp, value) VALUES ($kind, $k, $grp, $v)", tx);
                insert.Parameters.AddWithValue("$kind", row.Kind);
                insert.Parameters.AddWithValue("$k", row.Key);
                insert.Parameters.AddWithValue("$grp", (object?)row.Group ?? DBNull.Value);
                insert.Parameters.AddWithValue("$v", row.Value);
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        });
    }
}
