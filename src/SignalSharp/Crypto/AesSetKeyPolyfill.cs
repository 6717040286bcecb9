#if !NET9_0_OR_GREATER
using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>
/// <c>SymmetricAlgorithm.SetKey(ReadOnlySpan&lt;byte&gt;)</c> arrived in .NET 9; on .NET 8 the key goes through
/// the <c>Key</c> property, which copies it, so the temporary array is wiped at once. The copy inside the
/// <see cref="Aes"/> object is cleared when that object is disposed.
/// </summary>
internal static class AesSetKeyPolyfill
{
    /// <summary>Sets the key of <paramref name="aes"/> from a span.</summary>
    /// <param name="aes">The cipher to key.</param>
    /// <param name="key">The key bytes.</param>
    public static void SetKey(this Aes aes, ReadOnlySpan<byte> key)
    {
        byte[] copy = key.ToArray();
        try
        {
            aes.Key = copy;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }
}
#endif
