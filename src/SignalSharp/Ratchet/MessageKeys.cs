using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Ratchet;

/// <summary>
/// The keys of one message of the triple ratchet: HKDF(salt = SPQR message key, ikm = Double-Ratchet seed,
/// "WhisperMessageKeys", 80) → AES key 32 ‖ MAC key 32 ‖ IV 16. Wiped on dispose.
/// </summary>
internal sealed class MessageKeys : IDisposable
{
    private static ReadOnlySpan<byte> Info => "WhisperMessageKeys"u8;

    private readonly byte[] _okm;

    private MessageKeys(byte[] okm)
    {
        _okm = okm;
    }

    public ReadOnlySpan<byte> CipherKey => _okm.AsSpan(0, 32);

    public ReadOnlySpan<byte> MacKey => _okm.AsSpan(32, 32);

    public ReadOnlySpan<byte> Iv => _okm.AsSpan(64, 16);

    /// <summary>Derives the keys of one message.</summary>
    /// <param name="seed">HMAC(chainKey, 0x01) of the message's chain position.</param>
    /// <param name="spqrKey">The SPQR message key (empty only in the classic, pre-SPQR derivation).</param>
    public static MessageKeys Derive(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> spqrKey)
    {
        var okm = new byte[80];
        SignalHkdf.DeriveKey(seed, spqrKey, Info, okm);
        return new MessageKeys(okm);
    }

    /// <summary>The size of the derived keys: cipher key, MAC key, IV.</summary>
    public const int Size = 80;

    /// <summary><see cref="Derive(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> into <paramref name="okm"/> (80 bytes, e.g. on the stack; the caller wipes it).</summary>
    public static void Derive(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> spqrKey, Span<byte> okm) => SignalHkdf.DeriveKey(seed, spqrKey, Info, okm[..Size]);

    /// <summary>The AES key within derived keys.</summary>
    public static ReadOnlySpan<byte> CipherKeyOf(ReadOnlySpan<byte> okm) => okm[..32];

    /// <summary>The MAC key within derived keys.</summary>
    public static ReadOnlySpan<byte> MacKeyOf(ReadOnlySpan<byte> okm) => okm.Slice(32, 32);

    /// <summary>The IV within derived keys.</summary>
    public static ReadOnlySpan<byte> IvOf(ReadOnlySpan<byte> okm) => okm.Slice(64, 16);

    public void Dispose() => CryptographicOperations.ZeroMemory(_okm);
}
