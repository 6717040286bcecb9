namespace SignalSharp.Groups;

/// <summary>Identifies one sender-key record: a sending device and the distribution id it uses for a group.</summary>
/// <param name="Sender">The sending device.</param>
/// <param name="DistributionId">The sender's distribution id for the group.</param>
public readonly record struct SenderKeyName(ProtocolAddress Sender, Guid DistributionId);
