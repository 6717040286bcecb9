using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>
/// AES-256-CTR with a 16-byte initial counter block whose last four bytes are a big-endian block counter
/// (the layout Sealed Sender v1 uses with an all-zero nonce).
/// </summary>
internal static class Aes256Ctr
{
    /// <summary>Encrypts or decrypts (the operation is its own inverse).</summary>
    /// <param name="key">32-byte key.</param>
    /// <param name="nonce">12-byte nonce (the first 12 bytes of the counter block).</param>
    /// <param name="initialCounter">The initial 32-bit block counter.</param>
    /// <param name="input">Data of any length.</param>
    /// <param name="output">Destination of the same length as <paramref name="input"/>.</param>
    /// <exception cref="InvalidKeyException">The key or nonce has the wrong length.</exception>
    public static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, uint initialCounter, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (key.Length != 32)
        {
            throw new InvalidKeyException($"AES-256 key must be 32 bytes, got {key.Length}");
        }

        if (nonce.Length != 12)
        {
            throw new InvalidKeyException($"AES-CTR nonce must be 12 bytes, got {nonce.Length}");
        }

        if (output.Length != input.Length)
        {
            throw new ArgumentException("output must be as long as input", nameof(output));
        }

        using var aes = Aes.Create();
        aes.SetKey(key);
        Span<byte> counterBlock = stackalloc byte[16];
        Span<byte> keystream = stackalloc byte[16];
        nonce.CopyTo(counterBlock);
        uint counter = initialCounter;
        for (int offset = 0; offset < input.Length; offset += 16)
        {
            BinaryPrimitives.WriteUInt32BigEndian(counterBlock[12..], counter);
            aes.EncryptEcb(counterBlock, keystream, PaddingMode.None);
            int n = Math.Min(16, input.Length - offset);
            for (int i = 0; i < n; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ keystream[i]);
            }

            counter = unchecked(counter + 1);
        }

        CryptographicOperations.ZeroMemory(keystream);
    }
}
