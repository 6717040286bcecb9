namespace SignalSharp.Groups;

/// <summary>
/// Persists the <see cref="GroupRoster"/> of each group the local device sends to, keyed by the application's
/// group id. <see cref="GroupSession"/> serializes its own calls per group id, but implementations must still be
/// safe for concurrent calls on different ids. A custom store can keep <see cref="GroupRoster.Serialize"/> as a
/// blob; it holds no key material.
/// </summary>
public interface IGroupRosterStore
{
    /// <summary>Loads a group's roster.</summary>
    /// <param name="groupId">The application's identifier of the group.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The roster, or null when none is stored.</returns>
    ValueTask<GroupRoster?> LoadGroupRosterAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>Stores (replaces) a group's roster.</summary>
    /// <param name="groupId">The application's identifier of the group.</param>
    /// <param name="roster">The roster (immutable: an implementation may keep the instance).</param>
    /// <param name="cancellationToken">Cancels the store.</param>
    /// <returns>A task that completes when the roster is durable.</returns>
    ValueTask StoreGroupRosterAsync(string groupId, GroupRoster roster, CancellationToken cancellationToken = default);

    /// <summary>Forgets a group's roster (for example when the local user left the group); nothing happens when none is stored.</summary>
    /// <param name="groupId">The application's identifier of the group.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task that completes when the deletion is durable.</returns>
    ValueTask DeleteGroupRosterAsync(string groupId, CancellationToken cancellationToken = default);
}
