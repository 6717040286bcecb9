using SignalSharp;

namespace SignalSharp;

/// <summary>
/// What an initiator repeats in every outgoing message until the peer answers: the pre-key ids it used, its
/// base key and the Kyber ciphertext (immutable).
/// </summary>
internal sealed record PendingPreKey(
    uint? PreKeyId,
    uint SignedPreKeyId,
    EcPublicKey BaseKey,
    uint KyberPreKeyId,
    byte[] KyberCiphertext,
    long TimestampSeconds);
