namespace SignalSharp.Groups;

/// <summary>
/// Persists sender-key records, keyed by (sending device, distribution id). <see cref="GroupCipher"/> loads a
/// record, works on its own copy and stores it back only after the operation succeeded; it serializes its own
/// calls per key, but implementations must still be safe for concurrent calls on different keys.
/// </summary>
public interface ISenderKeyStore
{
    /// <summary>Loads a record.</summary>
    /// <param name="sender">The sending device.</param>
    /// <param name="distributionId">The sender's distribution id.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>
    /// The record, or null when none is stored. The caller owns the returned instance and may change or dispose it:
    /// an implementation must not hand out an instance it keeps.
    /// </returns>
    ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default);

    /// <summary>Stores (replaces) a record.</summary>
    /// <param name="sender">The sending device.</param>
    /// <param name="distributionId">The sender's distribution id.</param>
    /// <param name="record">The record; the implementation must copy or serialize it, not keep the instance.</param>
    /// <param name="cancellationToken">Cancels the store.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default);
}
