using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>HMAC-SHA256 helpers and constant-time MAC verification.</summary>
public static class HmacSha256
{
    /// <summary>Size of a full HMAC-SHA256 tag in bytes.</summary>
    public const int TagSize = 32;

    /// <summary>Computes HMAC-SHA256(key, data) into <paramref name="tag"/> (at least 32 bytes).</summary>
    /// <param name="key">MAC key.</param>
    /// <param name="data">Authenticated data.</param>
    /// <param name="tag">Destination of 32 bytes.</param>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag)
        => HMACSHA256.HashData(key, data, tag);

    /// <summary>Computes HMAC-SHA256(key, data).</summary>
    /// <param name="key">MAC key.</param>
    /// <param name="data">Authenticated data.</param>
    /// <returns>The 32-byte tag.</returns>
    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>
    /// Compares a received (possibly truncated) tag with the first bytes of the expected one in constant time.
    /// </summary>
    /// <param name="expected">The full expected tag.</param>
    /// <param name="received">The tag from the wire.</param>
    /// <returns>True when the lengths fit and the bytes are equal.</returns>
    public static bool TagsEqual(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> received)
    {
        if (received.Length == 0 || received.Length > expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected[..received.Length], received);
    }
}
