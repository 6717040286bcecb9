using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;

namespace SignalSharp.Groups.Chains;

/// <summary>
/// The key material for one group message, derived from its 32-byte seed:
/// HKDF-SHA256(ikm = seed, no salt, info "WhisperGroup", 48) = IV (16) ‖ AES-256 key (32).
/// </summary>
internal sealed class SenderMessageKey : IDisposable
{
    internal const int SeedLength = 32;
    private const int IvLength = 16;
    private const int CipherKeyLength = 32;

    private static ReadOnlySpan<byte> Info => "WhisperGroup"u8;

    private readonly byte[] _derived = new byte[IvLength + CipherKeyLength];

    internal SenderMessageKey(uint iteration, ReadOnlySpan<byte> seed)
    {
        Iteration = iteration;
        SignalHkdf.DeriveKey(seed, ReadOnlySpan<byte>.Empty, Info, _derived);
        if (ProtocolTrace.Sink is { } trace)
        {
            trace.Record("sender_key.iteration", iteration);
            trace.Record("sender_key.message_seed", seed);
            trace.Record("sender_key.iv", Iv);
            trace.Record("sender_key.cipher_key", CipherKey);
        }
    }

    /// <summary>The chain iteration this key encrypts.</summary>
    internal uint Iteration { get; }

    /// <summary>The AES-CBC IV (note: first in the HKDF output, unlike 1:1 message keys).</summary>
    internal ReadOnlySpan<byte> Iv => _derived.AsSpan(0, IvLength);

    /// <summary>The AES-256 key.</summary>
    internal ReadOnlySpan<byte> CipherKey => _derived.AsSpan(IvLength, CipherKeyLength);

    /// <summary>Encrypts a group message body.</summary>
    internal byte[] Encrypt(ReadOnlySpan<byte> plaintext) => Aes256Cbc.Encrypt(CipherKey, Iv, plaintext);

    /// <summary>Decrypts a group message body.</summary>
    /// <exception cref="InvalidMessageException">The ciphertext length or padding is invalid.</exception>
    internal byte[] Decrypt(ReadOnlySpan<byte> ciphertext) => Aes256Cbc.Decrypt(CipherKey, Iv, ciphertext);

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_derived);
}
