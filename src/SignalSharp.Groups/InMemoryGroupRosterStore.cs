using System.Collections.Concurrent;

namespace SignalSharp.Groups;

/// <summary>A thread-safe <see cref="IGroupRosterStore"/> in memory, for tests and short-lived clients.</summary>
public sealed class InMemoryGroupRosterStore : IGroupRosterStore
{
    private readonly ConcurrentDictionary<string, GroupRoster> _rosters = new(StringComparer.Ordinal);

    /// <summary>How many rosters are stored.</summary>
    public int Count => _rosters.Count;

    /// <inheritdoc />
    public ValueTask<GroupRoster?> LoadGroupRosterAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_rosters.TryGetValue(groupId, out var roster) ? roster : null);
    }

    /// <inheritdoc />
    public ValueTask StoreGroupRosterAsync(string groupId, GroupRoster roster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(roster);
        cancellationToken.ThrowIfCancellationRequested();
        _rosters[groupId] = roster;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeleteGroupRosterAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        cancellationToken.ThrowIfCancellationRequested();
        _rosters.TryRemove(groupId, out _);
        return ValueTask.CompletedTask;
    }
}
