using SignalSharp;

namespace SignalSharp;

/// <summary>Signed Kyber pre-keys by id, one-time and last-resort.</summary>
public interface IKyberPreKeyStore
{
    /// <summary>Loads a Kyber pre-key.</summary>
    /// <param name="kyberPreKeyId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A fresh record the caller owns and disposes, or null when none has that id.</returns>
    ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default);

    /// <summary>Stores a Kyber pre-key (the store keeps its own copy).</summary>
    /// <param name="kyberPreKeyId">The id.</param>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called after a PreKey message that used this key decrypted: a one-time key is deleted; a last-resort
    /// key is kept, and a second use with the same (Kyber id, signed pre-key id, base key) is a replay.
    /// </summary>
    /// <param name="kyberPreKeyId">The Kyber pre-key id.</param>
    /// <param name="signedPreKeyId">The signed pre-key id used alongside.</param>
    /// <param name="baseKey">The initiator's base key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the use is recorded.</returns>
    /// <exception cref="InvalidMessageException">The triple was seen before for a last-resort key (a replay).</exception>
    ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken = default);
}
