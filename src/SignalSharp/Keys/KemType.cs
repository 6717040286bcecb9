namespace SignalSharp;

/// <summary>
/// The KEM of a pre-key, as the first byte of every serialized KEM key and ciphertext (libsignal's type bytes).
/// </summary>
public enum KemType : byte
{
    /// <summary>CRYSTALS-Kyber round 3 at the 1024 level: the only KEM libsignal 0.103 accepts for Kyber pre-keys.</summary>
    Kyber1024 = 0x08,

    /// <summary>FIPS 203 ML-KEM-1024 (same sizes as <see cref="Kyber1024"/>; not enabled in libsignal 0.103).</summary>
    MlKem1024 = 0x0A,
}
