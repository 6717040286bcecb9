using SignalSharp;

namespace SignalSharp;

/// <summary>Signed EC pre-keys by id. The protocol never removes one; the app rotates them (docs/sessions.md, "Rotating pre-keys").</summary>
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

    /// <summary>
    /// Deletes a signed pre-key, e.g. one that was rotated out and whose grace period for late PreKey messages is
    /// over. A PreKey message naming it then fails with <see cref="InvalidKeyIdException"/>. Removing an id that is
    /// not held does nothing.
    /// </summary>
    /// <param name="signedPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is gone.</returns>
    ValueTask RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default);

    /// <summary>The ids of the signed pre-keys held, in ascending order (load each to read its <see cref="SignedPreKeyRecord.Timestamp"/>).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The ids.</returns>
    ValueTask<IReadOnlyList<uint>> GetSignedPreKeyIdsAsync(CancellationToken cancellationToken = default);
}
