using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>RFC 5869 HKDF-SHA256 as the Signal protocol uses it (an empty salt equals 32 zero bytes).</summary>
internal static class SignalHkdf
{
    /// <summary>Derives <paramref name="output"/>.Length bytes.</summary>
    /// <param name="ikm">Input key material.</param>
    /// <param name="salt">Salt; empty means "no salt".</param>
    /// <param name="info">Context label.</param>
    /// <param name="output">Destination; at most 255 × 32 bytes.</param>
    public static void DeriveKey(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
        => HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, salt, info);

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
