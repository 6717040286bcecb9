using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>AES-256-CBC with PKCS#7 padding, as used for 1:1 and sender-key message bodies.</summary>
internal static class Aes256Cbc
{
    /// <summary>Encrypts <paramref name="plaintext"/>.</summary>
    /// <param name="key">32-byte key.</param>
    /// <param name="iv">16-byte IV.</param>
    /// <param name="plaintext">Any number of bytes, including zero.</param>
    /// <returns>The padded ciphertext (a positive multiple of 16 bytes).</returns>
    /// <exception cref="InvalidKeyException">The key or IV has the wrong length.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext)
    {
        CheckSizes(key, iv);
        using var aes = Aes.Create();
        aes.SetKey(key);
        return aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
    }

    /// <summary>Decrypts and removes PKCS#7 padding.</summary>
    /// <param name="key">32-byte key.</param>
    /// <param name="iv">16-byte IV.</param>
    /// <param name="ciphertext">A positive multiple of 16 bytes.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="InvalidKeyException">The key or IV has the wrong length.</exception>
    /// <exception cref="InvalidMessageException">The ciphertext length or its padding is invalid.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext)
    {
        CheckSizes(key, iv);
        if (ciphertext.Length == 0 || ciphertext.Length % 16 != 0)
        {
            throw new InvalidMessageException("AES-CBC ciphertext length is not a positive multiple of 16");
        }

        using var aes = Aes.Create();
        aes.SetKey(key);
        try
        {
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException e)
        {
            throw new InvalidMessageException("AES-CBC padding is invalid", e);
        }
    }

    private static void CheckSizes(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length != 32)
        {
            throw new InvalidKeyException($"AES-256 key must be 32 bytes, got {key.Length}");
        }

        if (iv.Length != 16)
        {
            throw new InvalidKeyException($"AES-CBC IV must be 16 bytes, got {iv.Length}");
        }
    }
}
