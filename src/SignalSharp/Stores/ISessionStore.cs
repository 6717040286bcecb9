using SignalSharp;

namespace SignalSharp;

/// <summary>Session records by remote address.</summary>
public interface ISessionStore
{
    /// <summary>Loads the record for <paramref name="address"/>.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A private copy the caller may change, or null when none is stored.</returns>
    ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default);

    /// <summary>Stores the record for <paramref name="address"/> (the store keeps its own copy).</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record for <paramref name="address"/>, if any.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is gone.</returns>
    ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default);

    /// <summary>Lists the device ids with a stored record for the user <paramref name="name"/>.</summary>
    /// <param name="name">The remote user's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The device ids in ascending order.</returns>
    ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default);
}
