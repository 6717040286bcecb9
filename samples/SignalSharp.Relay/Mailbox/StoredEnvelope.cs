namespace SignalSharp.Relay.Mailbox;

/// <summary>
/// One queued message: only what routing and delivery need. The content is the sender's ciphertext, opaque
/// to the relay; the source is needed because this relay has no sealed sender (the recipient must know which
/// session decrypts it).
/// </summary>
/// <param name="Id">The envelope id the relay assigned; the device acknowledges by it and deduplicates by it.</param>
/// <param name="Sequence">Position in the destination mailbox (increasing; delivery order).</param>
/// <param name="SourceName">The sending account.</param>
/// <param name="SourceDevice">The sending device.</param>
/// <param name="MessageType">The ciphertext type (2 Signal message, 3 PreKey message, 7 sender-key message).</param>
/// <param name="ServerTimestamp">When the relay accepted it (Unix ms).</param>
/// <param name="Content">The ciphertext.</param>
public sealed record StoredEnvelope(Guid Id, long Sequence, string SourceName, int SourceDevice, int MessageType, long ServerTimestamp, byte[] Content);
