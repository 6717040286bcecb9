namespace SignalSharp.Relay.Mailbox;

/// <summary>
/// One mailbox per device. An envelope stays until its device acknowledges it; reads never remove anything, so a
/// dropped connection loses nothing and the next connection redelivers every unacknowledged envelope in order.
/// </summary>
public interface IMailboxStore
{
    /// <summary>
    /// Appends one envelope to each named mailbox, all or nothing: false (and no change) when any of them would
    /// exceed <paramref name="maxCount"/> envelopes or <paramref name="maxBytes"/> bytes.
    /// </summary>
    ValueTask<bool> TryEnqueueAsync(IReadOnlyList<(DeviceKey Destination, StoredEnvelope Envelope)> entries, int maxCount, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> envelopes with a sequence greater than <paramref name="afterSequence"/>, in order.</summary>
    ValueTask<IReadOnlyList<StoredEnvelope>> ReadAsync(DeviceKey device, long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>Removes an envelope; false when the mailbox does not hold it (already acknowledged, or another device's id).</summary>
    ValueTask<bool> AcknowledgeAsync(DeviceKey device, Guid envelopeId, CancellationToken cancellationToken = default);

    /// <summary>How many envelopes and ciphertext bytes are queued for a device.</summary>
    ValueTask<(int Count, long Bytes)> SizeAsync(DeviceKey device, CancellationToken cancellationToken = default);

    /// <summary>Drops a device's mailbox (device removed).</summary>
    ValueTask DeleteAsync(DeviceKey device, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onNewEnvelope"/> after envelopes are appended to the device's mailbox, until the
    /// returned handle is disposed. It may be called spuriously; readers re-read.
    /// </summary>
    IDisposable Subscribe(DeviceKey device, Action onNewEnvelope);
}
