using Microsoft.Data.Sqlite;

namespace SignalSharp.Messenger;

/// <summary>
/// The app's own durable state, next to the protocol store: what the user sees, which envelopes are done, the
/// receipts, groups and the outbox. One batch of received envelopes is recorded in one transaction (synchronous=FULL),
/// before its protocol state is committed and before it is acknowledged.
/// </summary>
/// <remarks>Stored unencrypted for readability of the sample; a real app seals it as the protocol store does.</remarks>
internal sealed class AppDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();

    public AppDatabase(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS processed (envelope_id TEXT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, sender TEXT, sender_device INTEGER, ts INTEGER, kind TEXT, conversation TEXT, body TEXT);
            CREATE TABLE IF NOT EXISTS sent (ts INTEGER, conversation TEXT, body TEXT, PRIMARY KEY (ts, conversation));
            CREATE TABLE IF NOT EXISTS receipts (ts INTEGER, sender TEXT, sender_device INTEGER, kind TEXT, PRIMARY KEY (ts, sender, sender_device, kind));
            CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT, content BLOB);
            CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, title TEXT, members TEXT, distribution_id TEXT, rotate_pending INTEGER);
            CREATE TABLE IF NOT EXISTS group_keys (id TEXT, member TEXT, PRIMARY KEY (id, member));
            """);
    }

    public string? Get(string key) => Scalar("SELECT v FROM kv WHERE k = $a", key) as string;

    public void Set(string key, string value) => Execute("INSERT OR REPLACE INTO kv (k, v) VALUES ($a, $b)", key, value);

    public bool IsProcessed(Guid envelopeId) => Scalar("SELECT 1 FROM processed WHERE envelope_id = $a", envelopeId.ToString()) is not null;

    /// <summary>Records one processed batch atomically.</summary>
    public void Commit(BatchRecord batch)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            foreach (var id in batch.Processed)
            {
                Run(tx, "INSERT OR IGNORE INTO processed (envelope_id) VALUES ($a)", id.ToString());
            }

            foreach (var item in batch.Inbox)
            {
                Run(tx, "INSERT INTO inbox (sender, sender_device, ts, kind, conversation, body) VALUES ($a, $b, $c, $d, $e, $f)",
                    item.Sender, item.SenderDevice, (long)item.Timestamp, item.Kind, item.Conversation, item.Body);
            }

            foreach (var receipt in batch.Receipts)
            {
                Run(tx, "INSERT OR IGNORE INTO receipts (ts, sender, sender_device, kind) VALUES ($a, $b, $c, $d)",
                    (long)receipt.Timestamp, receipt.From, receipt.FromDevice, receipt.Kind);
            }

            foreach (var (recipient, content) in batch.Outbox)
            {
                Run(tx, "INSERT INTO outbox (recipient, content) VALUES ($a, $b)", recipient, content);
            }

            foreach (var group in batch.Groups)
            {
                UpsertGroup(tx, group);
            }

            foreach (var (ts, conversation, body) in batch.Sent)
            {
                Run(tx, "INSERT OR IGNORE INTO sent (ts, conversation, body) VALUES ($a, $b, $c)", (long)ts, conversation, body);
            }

            tx.Commit();
        }
    }

    public IReadOnlyList<InboxItem> Inbox() => Query(
        "SELECT sender, sender_device, ts, kind, conversation, body FROM inbox ORDER BY seq",
        r => new InboxItem(r.GetString(0), r.GetInt32(1), (ulong)r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5)));

    public IReadOnlyList<ReceiptItem> Receipts() => Query(
        "SELECT ts, sender, sender_device, kind FROM receipts ORDER BY ts, sender, sender_device, kind",
        r => new ReceiptItem((ulong)r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetString(3)));

    public IReadOnlyList<(long Id, string Recipient, byte[] Content)> Outbox() => Query(
        "SELECT id, recipient, content FROM outbox ORDER BY id", r => (r.GetInt64(0), r.GetString(1), (byte[])r[2]));

    public void RemoveOutbox(long id) => Execute("DELETE FROM outbox WHERE id = $a", id);

    public GroupInfo? Group(Guid id) => Query(
        "SELECT id, title, members, distribution_id, rotate_pending FROM groups WHERE id = $a",
        r => new GroupInfo(Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries), r.IsDBNull(3) ? null : Guid.Parse(r.GetString(3)), r.GetInt64(4) != 0),
        id.ToString()).FirstOrDefault();

    public void SaveGroup(GroupInfo group)
    {
        lock (_gate)
        {
            UpsertGroup(null, group);
        }
    }

    public IReadOnlySet<string> GroupKeyHolders(Guid id) => Query("SELECT member FROM group_keys WHERE id = $a", r => r.GetString(0), id.ToString()).ToHashSet();

    public void AddGroupKeyHolder(Guid id, string member) => Execute("INSERT OR IGNORE INTO group_keys (id, member) VALUES ($a, $b)", id.ToString(), member);

    public void ClearGroupKeyHolders(Guid id) => Execute("DELETE FROM group_keys WHERE id = $a", id.ToString());

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void UpsertGroup(SqliteTransaction? tx, GroupInfo group)
        => Run(tx, "INSERT OR REPLACE INTO groups (id, title, members, distribution_id, rotate_pending) VALUES ($a, $b, $c, $d, $e)",
            group.Id.ToString(), group.Title, string.Join(',', group.Members), group.DistributionId?.ToString(), group.RotatePending ? 1 : 0);

    private void Execute(string sql, params object?[] args)
    {
        lock (_gate)
        {
            Run(null, sql, args);
        }
    }

    private object? Scalar(string sql, params object?[] args)
    {
        lock (_gate)
        {
            using var command = Command(null, sql, args);
            return command.ExecuteScalar();
        }
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params object?[] args)
    {
        lock (_gate)
        {
            using var command = Command(null, sql, args);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(map(reader));
            }

            return rows;
        }
    }

    private void Run(SqliteTransaction? tx, string sql, params object?[] args)
    {
        using var command = Command(tx, sql, args);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(SqliteTransaction? tx, string sql, object?[] args)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        for (int i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (char)('a' + i), args[i] ?? DBNull.Value);
        }

        return command;
    }
}

/// <summary>Everything one processed batch writes to the app database.</summary>
internal sealed class BatchRecord
{
    public List<Guid> Processed { get; } = new();

    public List<InboxItem> Inbox { get; } = new();

    public List<ReceiptItem> Receipts { get; } = new();

    public List<(string Recipient, byte[] Content)> Outbox { get; } = new();

    public List<GroupInfo> Groups { get; } = new();

    public List<(ulong Timestamp, string Conversation, string Body)> Sent { get; } = new();
}
