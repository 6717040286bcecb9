using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>RFC 5869 HKDF-SHA256 as the Signal protocol uses it (an empty salt equals 32 zero bytes).</summary>
public static class SignalHkdf
{
    /// <summary>Derives <paramref name="output"/>.Length bytes.</summary>
    /// <param name="ikm">Input key material.</param>
    /// <param name="salt">Salt; empty means "no salt".</param>
    /// <param name="info">Context label.</param>
    /// <param name="output">Destination; at most 255 × 32 bytes.</param>
    public static void DeriveKey(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        const int hashLength = Sha256Core.DigestSize;
        if (output.Length > 255 * hashLength)
        {
            throw new ArgumentException("HKDF-SHA256 output is limited to 8160 bytes", nameof(output));
        }

        // Extract: PRK = HMAC(salt, IKM); a missing salt is a zero-length key, the same as 32 zero bytes.
        Span<Vector128<uint>> keyState = stackalloc Vector128<uint>[HmacSha256Core.KeyStateVectors];
        Span<byte> block = stackalloc byte[hashLength];
        HmacSha256Core.SetKey(salt, keyState);
        HmacSha256Core.Compute(keyState, ikm, block);

        // Expand: T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i).
        HmacSha256Core.SetKey(block, keyState);
        int inputLength = hashLength + info.Length + 1;
        byte[]? rented = null;
        Span<byte> input = inputLength <= 256 ? stackalloc byte[256] : (rented = new byte[inputLength]);
        input = input[..inputLength];
        try
        {
            info.CopyTo(input[hashLength..]);
            int written = 0;
            for (int i = 1; written < output.Length; i++)
            {
                input[^1] = (byte)i;
                var message = i == 1 ? input[hashLength..] : input;
                HmacSha256Core.Compute(keyState, message, block);
                int take = Math.Min(hashLength, output.Length - written);
                block[..take].CopyTo(output[written..]);
                written += take;
                block.CopyTo(input);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(keyState));
        }
    }

    /// <summary>Derives <paramref name="length"/> bytes into a new array.</summary>
    /// <param name="ikm">Input key material.</param>
    /// <param name="salt">Salt; empty means "no salt".</param>
    /// <param name="info">Context label.</param>
    /// <param name="length">Number of bytes, 1..8160.</param>
    /// <returns>The derived bytes.</returns>
    public static byte[] DeriveKey(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, int length)
    {
        var output = new byte[length];
        DeriveKey(ikm, salt, info, output);
        return output;
    }
}
