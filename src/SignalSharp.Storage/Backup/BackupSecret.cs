using System.Security.Cryptography;
using SignalSharp.Storage.Codec;

namespace SignalSharp.Storage;

/// <summary>
/// What protects a backup file: a passphrase (stretched with PBKDF2-HMAC-SHA256) or a raw 32-byte key. The secret
/// keeps a UTF-8 or byte copy of what it was given and wipes it on dispose.
/// </summary>
public sealed class BackupSecret : IDisposable
{
    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for passphrases: 600,000, the OWASP Password Storage Cheat Sheet figure for
    /// PBKDF2-HMAC-SHA256. The count is written into each backup, so it can be raised later without breaking old files.
    /// </summary>
    public const int PassphraseIterations = 600_000;

    /// <summary>A raw backup key's length in bytes.</summary>
    public const int KeySize = 32;

    private readonly byte[] _material;
    private bool _disposed;

    private BackupSecret(byte[] material, int iterations)
    {
        _material = material;
        Iterations = iterations;
    }

    /// <summary>True for a passphrase, false for a raw key.</summary>
    internal bool IsPassphrase => Iterations > 0;

    /// <summary>The PBKDF2 iteration count used when exporting (0 for a raw key).</summary>
    internal int Iterations { get; }

    /// <summary>A passphrase secret (any non-empty text; it is encoded as UTF-8).</summary>
    /// <param name="passphrase">The passphrase.</param>
    /// <returns>The secret; dispose it.</returns>
    /// <exception cref="ArgumentException">The passphrase is empty or not valid UTF-16.</exception>
    public static BackupSecret FromPassphrase(ReadOnlySpan<char> passphrase) => FromPassphrase(passphrase, PassphraseIterations);

    /// <summary>A raw-key secret (e.g. a key the application keeps in the OS keychain).</summary>
    /// <param name="key">The 32-byte key (copied).</param>
    /// <returns>The secret; dispose it.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static BackupSecret FromKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"a backup key must be {KeySize} bytes", nameof(key));
        }

        return new BackupSecret(key.ToArray(), 0);
    }

    /// <summary>A passphrase secret with a chosen iteration count (tests use a low one to stay fast).</summary>
    internal static BackupSecret FromPassphrase(ReadOnlySpan<char> passphrase, int iterations)
    {
        if (passphrase.IsEmpty)
        {
            throw new ArgumentException("the passphrase must not be empty", nameof(passphrase));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        byte[] utf8;
        try
        {
            utf8 = new byte[Utf8.Strict.GetByteCount(passphrase)];
            Utf8.Strict.GetBytes(passphrase, utf8);
        }
        catch (System.Text.EncoderFallbackException e)
        {
            throw new ArgumentException("the passphrase is not valid UTF-16 text", nameof(passphrase), e);
        }

        return new BackupSecret(utf8, iterations);
    }

    /// <summary>The 32 bytes the file key is derived from: PBKDF2 of the passphrase with this salt and count, or the raw key.</summary>
    internal byte[] KeyMaterial(ReadOnlySpan<byte> salt, int iterations)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return IsPassphrase
            ? Rfc2898DeriveBytes.Pbkdf2(_material, salt, iterations, HashAlgorithmName.SHA256, KeySize)
            : (byte[])_material.Clone();
    }

    /// <summary>Wipes the passphrase or key.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_material);
    }
}
