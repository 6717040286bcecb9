using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>HMAC-SHA256 helpers and constant-time MAC verification.</summary>
internal static class HmacSha256
{
    /// <summary>Size of a full HMAC-SHA256 tag in bytes.</summary>
    public const int TagSize = 32;

    /// <summary>Computes HMAC-SHA256(key, data) into <paramref name="tag"/> (at least 32 bytes).</summary>
    /// <param name="key">MAC key.</param>
    /// <param name="data">Authenticated data.</param>
    /// <param name="tag">Destination of 32 bytes.</param>
    /// <remarks>
    /// The BCL one-shot: it allocates nothing, while a keyed <see cref="IncrementalHash"/> is ≈ 0.1 µs faster per
    /// MAC on OpenSSL 3 but allocates ≈ 220 B; for one MAC per key the allocation-free call wins (a message's
    /// allocation budget is 2 KiB). <see cref="ComputePair"/> takes the other trade where it saves a whole setup.
    /// </remarks>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag)
        => HMACSHA256.HashData(key, data, tag);

    /// <summary>Computes HMAC-SHA256(key, data).</summary>
    /// <param name="key">MAC key.</param>
    /// <param name="data">Authenticated data.</param>
    /// <returns>The 32-byte tag.</returns>
    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>
    /// Computes HMAC-SHA256(key, first) and HMAC-SHA256(key, second) with one keyed context, as every step of a
    /// symmetric chain needs (message seed and next chain key from the same chain key).
    /// </summary>
    /// <remarks>
    /// On OpenSSL 3 the BCL's one-shot HMAC sets up a fresh MAC context per call (algorithm fetch, key pads), which
    /// costs more than the hashing of such short inputs; one context finalized twice does that setup once
    /// (1.3 µs instead of 2.0 µs for the pair on the reference machine, for ≈ 220 B of managed objects). The span overload of
    /// <see cref="IncrementalHash.CreateHMAC(HashAlgorithmName, ReadOnlySpan{byte})"/> keeps no managed copy of a
    /// key of at most one block, and disposing it frees the native context.
    /// </remarks>
    /// <param name="key">MAC key (at most 64 bytes).</param>
    /// <param name="first">Data of the first MAC.</param>
    /// <param name="firstTag">Destination of the first 32-byte tag.</param>
    /// <param name="second">Data of the second MAC.</param>
    /// <param name="secondTag">Destination of the second 32-byte tag.</param>
    public static void ComputePair(ReadOnlySpan<byte> key, ReadOnlySpan<byte> first, Span<byte> firstTag, ReadOnlySpan<byte> second, Span<byte> secondTag)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(first);
        hmac.GetHashAndReset(firstTag);
        hmac.AppendData(second);
        hmac.GetHashAndReset(secondTag);
    }

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
