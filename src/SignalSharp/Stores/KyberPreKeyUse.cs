using SignalSharp;

namespace SignalSharp;

/// <summary>
/// One use of a Kyber pre-key by a PreKey message, as <see cref="IKyberPreKeyStore.MarkKyberPreKeyUsedAsync"/>
/// records it: a one-time key is deleted, a last-resort key remembers the triple to reject replays.
/// </summary>
/// <param name="KyberPreKeyId">The Kyber pre-key id.</param>
/// <param name="SignedPreKeyId">The signed pre-key id used alongside.</param>
/// <param name="BaseKey">The initiator's base key.</param>
public sealed record KyberPreKeyUse(uint KyberPreKeyId, uint SignedPreKeyId, EcPublicKey BaseKey);
