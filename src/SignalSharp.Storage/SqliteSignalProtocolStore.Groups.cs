using Microsoft.Data.Sqlite;
using SignalSharp.Groups;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>
/// The group-roster part (<see cref="IGroupRosterStore"/>): one sealed row per group the local device sends to, in
/// its own table, <c>group_rosters</c> (schema step 3). The row key is a keyed tag of the app's group id; the value
/// names the group again and holds <see cref="GroupRoster.Serialize"/>. Rosters are part of backups.
/// </summary>
public sealed partial class SqliteSignalProtocolStore : IGroupRosterStore
{
    /// <summary>The schema step that adds the group-roster table (appended to <see cref="Sql.Schema.Migrations"/>).</summary>
    internal static readonly string[] GroupRostersMigration =
    [
        "CREATE TABLE group_rosters (k BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
    ];

    /// <inheritdoc />
    public ValueTask<GroupRoster?> LoadGroupRosterAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return ValueTask.FromResult(Guarded(() =>
        {
            byte[] key = StoredEntry.GroupRosterKey(_sealer, groupId);
            using var read = Command("SELECT value FROM group_rosters WHERE k = $k", null);
            read.Parameters.AddWithValue("$k", key);
            object? stored = read.ExecuteScalar();
            if (stored is null)
            {
                return null;
            }

            byte[] sealedValue = stored as byte[] ?? throw new StorageCorruptedException("a stored value is not a blob");
            using var entry = OpenEntry(RecordKind.GroupRoster, key, sealedValue);
            return ParseStored(entry.Value, GroupRoster.Deserialize);
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask StoreGroupRosterAsync(string groupId, GroupRoster roster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(roster);
        using var entry = StoredEntry.GroupRoster(groupId, roster.Serialize());
        Guarded(() =>
        {
            using var tx = _connection.BeginTransaction();
            WriteRosterEntry(entry, tx, replace: true);
            tx.Commit();
        }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeleteGroupRosterAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        Guarded(() =>
        {
            using var tx = _connection.BeginTransaction();
            using var delete = Command("DELETE FROM group_rosters WHERE k = $k", tx);
            delete.Parameters.AddWithValue("$k", StoredEntry.GroupRosterKey(_sealer, groupId));
            delete.ExecuteNonQuery();
            tx.Commit();
        }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>Appends every roster to a backup's entries, as entries of kind <see cref="RecordKind.GroupRoster"/>.</summary>
    private void ExportGroupRosters(Codec.FieldWriter w)
    {
        using var all = Command("SELECT k, value FROM group_rosters ORDER BY k", null);
        using var reader = all.ExecuteReader();
        while (reader.Read())
        {
            byte[] body = _sealer.Open((byte)RecordKind.GroupRoster, Blob(reader, 0), Blob(reader, 1));
            w.U8((byte)RecordKind.GroupRoster);
            w.Bytes(body);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(body);
        }
    }

    /// <summary>Seals and writes one roster row (the records table's <c>WriteEntry</c> for this table).</summary>
    private void WriteRosterEntry(StoredEntry entry, SqliteTransaction tx, bool replace)
    {
        var (key, _) = entry.RowKey(_sealer);
        byte[] body = entry.Encode();
        try
        {
            using var write = Command((replace ? "INSERT OR REPLACE" : "INSERT") + " INTO group_rosters (k, value) VALUES ($k, $v)", tx);
            write.Parameters.AddWithValue("$k", key);
            write.Parameters.AddWithValue("$v", _sealer.Seal((byte)RecordKind.GroupRoster, key, body));
            write.ExecuteNonQuery();
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(body);
        }
    }
}
