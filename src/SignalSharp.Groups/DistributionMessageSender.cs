namespace SignalSharp.Groups;

/// <summary>
/// Delivers a sender-key distribution message to one member device over the pairwise (1:1) session with it.
/// Supplied by the application; typically it encrypts <paramref name="distributionMessage"/> with the
/// session cipher for <paramref name="recipient"/> and hands the result to its transport.
/// </summary>
/// <param name="recipient">The member device.</param>
/// <param name="distributionMessage">The serialized distribution message (secret: never send it unencrypted).</param>
/// <param name="cancellationToken">Cancels the delivery.</param>
/// <returns>A task that completes when the message has been handed to the transport.</returns>
public delegate ValueTask DistributionMessageSender(ProtocolAddress recipient, byte[] distributionMessage, CancellationToken cancellationToken);
