using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Curves;

/// <summary>
/// X25519 (RFC 7748) through libsodium's constant-time implementation. Keys are raw 32-byte little-endian
/// strings; private keys are clamped as RFC 7748 §5 describes.
/// </summary>
internal static unsafe class X25519
{
    /// <summary>Length of private keys, public keys (u-coordinates) and shared secrets.</summary>
    public const int KeyLength = 32;

    /// <summary>Clears bits 0–2 of byte 0 and bit 7 of byte 31, and sets bit 6 of byte 31.</summary>
    /// <param name="privateKey">The 32-byte key to clamp in place.</param>
    public static void ClampPrivateKey(Span<byte> privateKey)
    {
        CheckLength(privateKey.Length, nameof(privateKey));
        privateKey[0] &= 0xF8;
        privateKey[31] &= 0x7F;
        privateKey[31] |= 0x40;
    }

    /// <summary>Fills <paramref name="privateKey"/> with a fresh clamped private key.</summary>
    /// <param name="privateKey">Destination of 32 bytes.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public static void GeneratePrivateKey(Span<byte> privateKey, RandomSource? random = null)
    {
        CheckLength(privateKey.Length, nameof(privateKey));
        (random ?? RandomSource.Secure).Fill(privateKey);
        ClampPrivateKey(privateKey);
    }

    /// <summary>Computes the public u-coordinate X25519(k, 9).</summary>
    /// <param name="privateKey">32-byte private key (clamped internally).</param>
    /// <param name="publicKey">Destination of 32 bytes.</param>
    public static void ComputePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        CheckLength(privateKey.Length, nameof(privateKey));
        CheckLength(publicKey.Length, nameof(publicKey));
        Sodium.EnsureInitialized();
        fixed (byte* q = publicKey)
        fixed (byte* n = privateKey)
        {
            if (Sodium.crypto_scalarmult_base(q, n) != 0)
            {
                throw new CryptographicException("X25519 base-point multiplication failed");
            }
        }
    }

    /// <summary>
    /// Computes the shared secret X25519(privateKey, theirPublicKey). Returns false (and zeroes the output)
    /// when the result is all zero, which happens exactly for small-order public keys.
    /// </summary>
    /// <param name="privateKey">Our 32-byte private key (clamped internally).</param>
    /// <param name="theirPublicKey">Their 32-byte u-coordinate (bit 255 ignored).</param>
    /// <param name="sharedSecret">Destination of 32 bytes.</param>
    /// <returns>False for an all-zero result.</returns>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> theirPublicKey, Span<byte> sharedSecret)
    {
        CheckLength(privateKey.Length, nameof(privateKey));
        CheckLength(theirPublicKey.Length, nameof(theirPublicKey));
        CheckLength(sharedSecret.Length, nameof(sharedSecret));
        Sodium.EnsureInitialized();
        int rc;
        fixed (byte* q = sharedSecret)
        fixed (byte* n = privateKey)
        fixed (byte* p = theirPublicKey)
        {
            rc = Sodium.crypto_scalarmult(q, n, p);
        }

        if (rc != 0)
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            return false;
        }

        return true;
    }

    private static void CheckLength(int length, string name)
    {
        if (length != KeyLength)
        {
            throw new ArgumentException($"expected {KeyLength} bytes", name);
        }
    }
}
