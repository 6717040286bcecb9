using System.Reflection;
using Microsoft.Data.Sqlite;
using SignalSharp.Storage;

namespace SignalSharp.Benchmarks.Scale;

/// <summary>
/// Counts the write transactions SQLite commits on a store's connection (an <c>sqlite3_commit_hook</c> on the
/// store's private connection, found by reflection: benchmark instrumentation only, the store is not changed).
/// </summary>
internal sealed class CommitCounter
{
    // The native side holds only a handle to the callback; keep the delegates alive for the process.
    private static readonly List<SQLitePCL.delegate_commit> Hooks = [];

    public long Commits { get; private set; }

    /// <summary>False when the store has no single connection field (the count is then unavailable).</summary>
    public bool Attach(SqliteSignalProtocolStore store)
    {
        var field = typeof(SqliteSignalProtocolStore)
            .GetFields(BindingFlags.NonPublic | BindingFlags.Instance)
            .FirstOrDefault(f => f.FieldType == typeof(SqliteConnection));
        if (field?.GetValue(store) is not SqliteConnection connection)
        {
            return false;
        }

        SQLitePCL.delegate_commit hook = _ =>
        {
            Commits++;
            return 0;
        };
        lock (Hooks)
        {
            Hooks.Add(hook);
        }

        SQLitePCL.raw.sqlite3_commit_hook(connection.Handle, hook, null);
        return true;
    }
}
