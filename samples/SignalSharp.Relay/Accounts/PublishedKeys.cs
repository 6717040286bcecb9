namespace SignalSharp.Relay.Accounts;

/// <summary>A signed public pre-key as uploaded (EC signed pre-key or Kyber pre-key): public data only.</summary>
/// <param name="KeyId">The key id the device chose.</param>
/// <param name="PublicKey">The serialized public key.</param>
/// <param name="Signature">The XEdDSA signature by the device's identity key over <paramref name="PublicKey"/>.</param>
public sealed record SignedKey(uint KeyId, byte[] PublicKey, byte[] Signature);

/// <summary>An unsigned one-time EC pre-key.</summary>
/// <param name="KeyId">The key id the device chose.</param>
/// <param name="PublicKey">The serialized public key.</param>
public sealed record OneTimeKey(uint KeyId, byte[] PublicKey);

/// <summary>A validated key upload; null members leave what the directory holds unchanged.</summary>
/// <param name="IdentityKey">The device's identity key (set at registration only).</param>
/// <param name="SignedPreKey">A new signed pre-key (replaces the old one).</param>
/// <param name="KyberLastResortKey">A new last-resort Kyber key (replaces the old one).</param>
/// <param name="OneTimePreKeys">One-time EC pre-keys to add.</param>
/// <param name="KyberPreKeys">One-time Kyber pre-keys to add.</param>
public sealed record KeyUpload(
    byte[]? IdentityKey,
    SignedKey? SignedPreKey,
    SignedKey? KyberLastResortKey,
    IReadOnlyList<OneTimeKey> OneTimePreKeys,
    IReadOnlyList<SignedKey> KyberPreKeys);

/// <summary>What one bundle fetch hands out for a device. One-time keys in it have been removed from the directory.</summary>
/// <param name="IdentityKey">The device's identity key.</param>
/// <param name="SignedPreKey">The current signed pre-key (reused).</param>
/// <param name="PreKey">A one-time EC pre-key, consumed; null when none was left.</param>
/// <param name="KyberPreKey">A one-time Kyber key (consumed) or else the last-resort key (reused).</param>
public sealed record TakenBundle(byte[] IdentityKey, SignedKey SignedPreKey, OneTimeKey? PreKey, SignedKey KyberPreKey);

/// <summary>How many one-time keys a device has left.</summary>
/// <param name="OneTimePreKeys">EC one-time pre-keys.</param>
/// <param name="KyberPreKeys">Kyber one-time pre-keys.</param>
public readonly record struct KeyCounts(int OneTimePreKeys, int KyberPreKeys);
