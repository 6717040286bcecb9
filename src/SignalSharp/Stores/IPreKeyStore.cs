using SignalSharp;

namespace SignalSharp;

/// <summary>One-time EC pre-keys by id.</summary>
public interface IPreKeyStore
{
    /// <summary>Loads a pre-key.</summary>
    /// <param name="preKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A fresh record the caller owns and disposes, or null when none has that id.</returns>
    ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default);

    /// <summary>Stores a pre-key (the store keeps its own copy).</summary>
    /// <param name="preKeyId">The id.</param>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Removes a pre-key after it was used.</summary>
    /// <param name="preKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is gone.</returns>
    ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default);
}
