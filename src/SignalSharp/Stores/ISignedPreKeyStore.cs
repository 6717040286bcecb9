using SignalSharp;

namespace SignalSharp;

/// <summary>Signed EC pre-keys by id (never removed by the protocol itself).</summary>
public interface ISignedPreKeyStore
{
    /// <summary>Loads a signed pre-key.</summary>
    /// <param name="signedPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A fresh record the caller owns and disposes, or null when none has that id.</returns>
    ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default);

    /// <summary>Stores a signed pre-key (the store keeps its own copy).</summary>
    /// <param name="signedPreKeyId">The id.</param>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default);
}
