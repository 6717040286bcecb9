using SignalSharp.Crypto;

namespace SignalSharp.Ratchet;

/// <summary>
/// The keys of one message of the triple ratchet: HKDF(salt = SPQR message key, ikm = Double-Ratchet seed,
/// "WhisperMessageKeys", 80) → AES key 32 ‖ MAC key 32 ‖ IV 16, written into a caller-owned buffer
/// (the caller wipes it).
/// </summary>
internal static class MessageKeys
{
    private static ReadOnlySpan<byte> Info => "WhisperMessageKeys"u8;

    /// <summary>The size of the derived keys: cipher key, MAC key, IV.</summary>
    public const int Size = 80;

    /// <summary>Derives the keys of one message into <paramref name="okm"/> (80 bytes, e.g. on the stack; the caller wipes it).</summary>
    /// <param name="seed">HMAC(chainKey, 0x01) of the message's chain position.</param>
    /// <param name="spqrKey">The SPQR message key (empty only in the classic, pre-SPQR derivation).</param>
    /// <param name="okm">Receives cipher key ‖ MAC key ‖ IV.</param>
    public static void Derive(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> spqrKey, Span<byte> okm) => SignalHkdf.DeriveKey(seed, spqrKey, Info, okm[..Size]);

    /// <summary>The AES key within derived keys.</summary>
    public static ReadOnlySpan<byte> CipherKeyOf(ReadOnlySpan<byte> okm) => okm[..32];

    /// <summary>The MAC key within derived keys.</summary>
    public static ReadOnlySpan<byte> MacKeyOf(ReadOnlySpan<byte> okm) => okm.Slice(32, 32);

    /// <summary>The IV within derived keys.</summary>
    public static ReadOnlySpan<byte> IvOf(ReadOnlySpan<byte> okm) => okm.Slice(64, 16);
}
