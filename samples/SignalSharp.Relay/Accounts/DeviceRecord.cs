namespace SignalSharp.Relay.Accounts;

/// <summary>What the relay knows about one device: its id, its registration id and the hash of its secret.</summary>
/// <param name="DeviceId">The device id within its account.</param>
/// <param name="RegistrationId">The registration id the device chose (senders must name it; see 410).</param>
/// <param name="SecretHash">SHA-256 of the per-device secret issued at registration (the secret itself is not kept).</param>
public sealed record DeviceRecord(int DeviceId, uint RegistrationId, byte[] SecretHash);
