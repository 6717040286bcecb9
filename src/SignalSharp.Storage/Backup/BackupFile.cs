using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SignalSharp.Storage.Backup;

/// <summary>
/// The backup container: a 38-byte header, then the AES-256-GCM ciphertext of the entries and its 16-byte tag.
/// <code>
/// magic "SSBK" (4) | format version = 1 (1) | kdf: 1 raw key, 2 PBKDF2-HMAC-SHA256 (1) | iterations, big-endian (4, 0 for raw)
/// | salt (16) | nonce (12) | ciphertext | tag (16)
/// </code>
/// The file key is HKDF-SHA256(ikm = raw key or PBKDF2 output, salt, info "SignalSharp.Storage.v1 backup"); the
/// whole header is the associated data, so no header field can be changed without failing authentication.
/// </summary>
internal static class BackupFile
{
    public const int HeaderSize = 4 + 1 + 1 + 4 + SaltSize + NonceSize;

    /// <summary>The largest file <c>Open</c> accepts (the whole backup is held in memory).</summary>
    public const int MaxFileSize = 256 * 1024 * 1024;

    /// <summary>The largest PBKDF2 count a file may ask for: bounds the work an imported file can demand.</summary>
    public const int MaxIterations = 10_000_000;

    private const byte FormatVersion = 1;
    private const byte KdfRawKey = 1;
    private const byte KdfPbkdf2Sha256 = 2;
    private const int SaltSize = 16;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Magic = "SSBK"u8.ToArray();
    private static readonly byte[] FileKeyInfo = Encoding.ASCII.GetBytes("SignalSharp.Storage.v1 backup");

    /// <summary>Encrypts <paramref name="entries"/> into a complete backup file.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> entries, BackupSecret secret)
    {
        var file = new byte[HeaderSize + entries.Length + TagSize];
        var header = file.AsSpan(0, HeaderSize);
        Magic.CopyTo(header);
        header[4] = FormatVersion;
        header[5] = secret.IsPassphrase ? KdfPbkdf2Sha256 : KdfRawKey;
        BinaryPrimitives.WriteUInt32BigEndian(header[6..], (uint)secret.Iterations);
        var salt = header.Slice(10, SaltSize);
        var nonce = header.Slice(10 + SaltSize, NonceSize);
        RandomNumberGenerator.Fill(salt);
        RandomNumberGenerator.Fill(nonce);
        using var aes = FileCipher(secret, salt, secret.Iterations);
        aes.Encrypt(nonce, entries, file.AsSpan(HeaderSize, entries.Length), file.AsSpan(HeaderSize + entries.Length), header);
        return file;
    }

    /// <summary>Authenticates and decrypts a backup file; the caller wipes the result.</summary>
    /// <exception cref="InvalidBackupException">Not a backup, an unknown version, the wrong kind of secret, a wrong secret, or tampered bytes.</exception>
    public static byte[] Open(ReadOnlySpan<byte> file, BackupSecret secret)
    {
        if (file.Length < HeaderSize + TagSize || !file[..4].SequenceEqual(Magic))
        {
            throw new InvalidBackupException("not a SignalSharp backup file");
        }

        var header = file[..HeaderSize];
        if (header[4] != FormatVersion)
        {
            throw new InvalidBackupException($"unsupported backup format version {header[4]} (this library reads {FormatVersion})");
        }

        uint iterations = BinaryPrimitives.ReadUInt32BigEndian(header[6..]);
        switch (header[5])
        {
            case KdfRawKey when !secret.IsPassphrase && iterations == 0:
                break;
            case KdfPbkdf2Sha256 when secret.IsPassphrase && iterations is >= 1 and <= MaxIterations:
                break;
            case KdfRawKey or KdfPbkdf2Sha256 when secret.IsPassphrase != (header[5] == KdfPbkdf2Sha256):
                throw new InvalidBackupException(header[5] == KdfPbkdf2Sha256 ? "the backup is protected by a passphrase, not a key" : "the backup is protected by a key, not a passphrase");
            default:
                throw new InvalidBackupException($"unsupported key derivation {header[5]} with {iterations} iterations");
        }

        int length = file.Length - HeaderSize - TagSize;
        var plaintext = new byte[length];
        using var aes = FileCipher(secret, header.Slice(10, SaltSize), (int)iterations);
        try
        {
            aes.Decrypt(header.Slice(10 + SaltSize, NonceSize), file.Slice(HeaderSize, length), file[(HeaderSize + length)..], plaintext, header);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new InvalidBackupException("the backup failed authentication: wrong passphrase or key, or the file was altered", e);
        }
    }

    private static AesGcm FileCipher(BackupSecret secret, ReadOnlySpan<byte> salt, int iterations)
    {
        byte[] material = secret.KeyMaterial(salt, iterations);
        Span<byte> fileKey = stackalloc byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, material, fileKey, salt, FileKeyInfo);
            return new AesGcm(fileKey, TagSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }
}
