using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>
/// AEAD_AES_256_GCM_SIV (RFC 8452): nonce-misuse-resistant authenticated encryption, built from the BCL's AES
/// block cipher and <see cref="Polyval"/>. Sealed Sender v2 encrypts its shared payload with it (a fresh key per
/// message, all-zero nonce). Output is ciphertext ‖ 16-byte tag.
/// </summary>
internal static class Aes256GcmSiv
{
    /// <summary>Key length in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceSize = 12;

    /// <summary>Tag length in bytes.</summary>
    public const int TagSize = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="output"/> (plaintext length + 16).</summary>
    /// <param name="key">32-byte key-generating key.</param>
    /// <param name="nonce">12-byte nonce.</param>
    /// <param name="associatedData">Authenticated, unencrypted data.</param>
    /// <param name="plaintext">The data to encrypt.</param>
    /// <param name="output">Ciphertext ‖ tag.</param>
    /// <exception cref="InvalidKeyException">The key or nonce has the wrong length.</exception>
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        CheckSizes(key, nonce);
        if (output.Length != plaintext.Length + TagSize)
        {
            throw new ArgumentException("output must be plaintext length + 16", nameof(output));
        }

        Span<byte> authKey = stackalloc byte[16];
        Span<byte> encKey = stackalloc byte[32];
        Span<byte> tag = stackalloc byte[TagSize];
        try
        {
            DeriveKeys(key, nonce, authKey, encKey);
            using var aes = Aes.Create();
            aes.SetKey(encKey);
            ComputeTag(aes, authKey, nonce, associatedData, plaintext, tag);
            Ctr(aes, tag, plaintext, output[..plaintext.Length]);
            tag.CopyTo(output[plaintext.Length..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(authKey);
            CryptographicOperations.ZeroMemory(encKey);
        }
    }

    /// <summary>Encrypts and returns ciphertext ‖ tag.</summary>
    /// <param name="key">32-byte key-generating key.</param>
    /// <param name="nonce">12-byte nonce.</param>
    /// <param name="associatedData">Authenticated, unencrypted data.</param>
    /// <param name="plaintext">The data to encrypt.</param>
    /// <returns>Ciphertext ‖ tag.</returns>
    /// <exception cref="InvalidKeyException">The key or nonce has the wrong length.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[plaintext.Length + TagSize];
        Encrypt(key, nonce, associatedData, plaintext, output);
        return output;
    }

    /// <summary>
    /// Decrypts ciphertext ‖ tag into <paramref name="plaintext"/>. Returns false, with the output cleared,
    /// when the tag does not verify or the input is shorter than a tag.
    /// </summary>
    /// <param name="key">32-byte key-generating key.</param>
    /// <param name="nonce">12-byte nonce.</param>
    /// <param name="associatedData">Authenticated, unencrypted data.</param>
    /// <param name="ciphertextAndTag">Ciphertext ‖ 16-byte tag.</param>
    /// <param name="plaintext">Destination of ciphertext length − 16 bytes.</param>
    /// <returns>True when the tag verified.</returns>
    /// <exception cref="InvalidKeyException">The key or nonce has the wrong length.</exception>
    public static bool TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertextAndTag, Span<byte> plaintext)
    {
        CheckSizes(key, nonce);
        if (ciphertextAndTag.Length < TagSize)
        {
            return false;
        }

        int length = ciphertextAndTag.Length - TagSize;
        if (plaintext.Length != length)
        {
            throw new ArgumentException("plaintext must be ciphertext length - 16", nameof(plaintext));
        }

        var received = ciphertextAndTag[length..];
        Span<byte> authKey = stackalloc byte[16];
        Span<byte> encKey = stackalloc byte[32];
        Span<byte> expected = stackalloc byte[TagSize];
        try
        {
            DeriveKeys(key, nonce, authKey, encKey);
            using var aes = Aes.Create();
            aes.SetKey(encKey);
            Ctr(aes, received, ciphertextAndTag[..length], plaintext);
            ComputeTag(aes, authKey, nonce, associatedData, plaintext, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, received))
            {
                CryptographicOperations.ZeroMemory(plaintext);
                return false;
            }

            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(authKey);
            CryptographicOperations.ZeroMemory(encKey);
        }
    }

    private static void CheckSizes(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        if (key.Length != KeySize)
        {
            throw new InvalidKeyException($"AES-256-GCM-SIV key must be 32 bytes, got {key.Length}");
        }

        if (nonce.Length != NonceSize)
        {
            throw new InvalidKeyException($"AES-GCM-SIV nonce must be 12 bytes, got {nonce.Length}");
        }
    }

    /// <summary>RFC 8452 §4: six blocks AES_K(LE32(i) ‖ nonce), the first 8 bytes of each.</summary>
    private static void DeriveKeys(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, Span<byte> authKey, Span<byte> encKey)
    {
        Span<byte> blocks = stackalloc byte[6 * 16];
        for (int i = 0; i < 6; i++)
        {
            var block = blocks.Slice(i * 16, 16);
            BinaryPrimitives.WriteUInt32LittleEndian(block, (uint)i);
            nonce.CopyTo(block[4..]);
        }

        using (var kgk = Aes.Create())
        {
            kgk.SetKey(key);
            kgk.EncryptEcb(blocks, blocks, PaddingMode.None);
        }

        blocks[..8].CopyTo(authKey);
        blocks.Slice(16, 8).CopyTo(authKey[8..]);
        for (int i = 0; i < 4; i++)
        {
            blocks.Slice((i + 2) * 16, 8).CopyTo(encKey[(i * 8)..]);
        }

        CryptographicOperations.ZeroMemory(blocks);
    }

    private static void ComputeTag(Aes aes, ReadOnlySpan<byte> authKey, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> tag)
    {
        var polyval = new Polyval(authKey);
        polyval.UpdatePadded(associatedData);
        polyval.UpdatePadded(plaintext);
        polyval.Block((ulong)associatedData.Length * 8, (ulong)plaintext.Length * 8);
        polyval.Finish(tag);
        for (int i = 0; i < NonceSize; i++)
        {
            tag[i] ^= nonce[i];
        }

        tag[15] &= 0x7F;
        aes.EncryptEcb(tag, tag, PaddingMode.None);
    }

    /// <summary>CTR with the tag (top bit set) as initial block and a little-endian 32-bit counter in bytes 0..3.</summary>
    private static void Ctr(Aes aes, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> input, Span<byte> output)
    {
        const int Chunk = 64 * 16;
        Span<byte> counterBlock = stackalloc byte[16];
        tag.CopyTo(counterBlock);
        counterBlock[15] |= 0x80;
        uint counter = BinaryPrimitives.ReadUInt32LittleEndian(counterBlock);
        Span<byte> stream = stackalloc byte[Chunk];
        for (int offset = 0; offset < input.Length; offset += Chunk)
        {
            int n = Math.Min(Chunk, input.Length - offset);
            int blocks = (n + 15) / 16;
            var ks = stream[..(blocks * 16)];
            for (int b = 0; b < blocks; b++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(counterBlock, counter);
                counterBlock.CopyTo(ks[(b * 16)..]);
                counter = unchecked(counter + 1);
            }

            aes.EncryptEcb(ks, ks, PaddingMode.None);
            for (int i = 0; i < n; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ ks[i]);
            }
        }

        CryptographicOperations.ZeroMemory(stream);
    }
}
