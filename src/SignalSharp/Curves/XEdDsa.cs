using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Curves;

/// <summary>
/// XEdDSA signatures (Perrin, "The XEdDSA and VXEdDSA Signature Schemes", rev. 1, 2016) in the variant Signal
/// uses: the Edwards public key A = a·B is not negated; instead the sign of A's x-coordinate travels in bit 7
/// of the signature's last byte, and verification rejects s ≥ 2^253 but not ℓ ≤ s &lt; 2^253.
/// </summary>
/// <remarks>
/// Signing uses libsodium's constant-time fixed-base multiplication and scalar arithmetic. Verification handles
/// only public data and uses this library's variable-time Edwards arithmetic.
/// </remarks>
internal static unsafe class XEdDsa
{
    /// <summary>Length of a signature: R (32) ‖ s (32).</summary>
    public const int SignatureLength = 64;

    /// <summary>Length of the random input to signing.</summary>
    public const int RandomLength = 64;

    /// <summary>
    /// Signs <paramref name="message"/>. Deterministic for a given <paramref name="random64"/>, which must be
    /// fresh random bytes in production.
    /// </summary>
    /// <param name="privateKey">32-byte X25519 private key (clamped internally).</param>
    /// <param name="message">The message.</param>
    /// <param name="random64">64 random bytes Z mixed into the nonce.</param>
    /// <param name="signature">Destination of 64 bytes.</param>
    public static void Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> random64, Span<byte> signature)
    {
        if (privateKey.Length != X25519.KeyLength)
        {
            throw new ArgumentException("expected 32 bytes", nameof(privateKey));
        }

        Span<byte> a = stackalloc byte[32];
        Span<byte> edwardsPublic = stackalloc byte[32];
        try
        {
            privateKey.CopyTo(a);
            X25519.ClampPrivateKey(a);
            ComputeEdwardsPublicKey(a, edwardsPublic);
            Sign(a, edwardsPublic, message, random64, signature);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a);
        }
    }

    /// <summary>A = a·B for a clamped private key a (the Edwards form of its public key, with its real sign).</summary>
    internal static void ComputeEdwardsPublicKey(ReadOnlySpan<byte> clampedPrivateKey, Span<byte> edwardsPublic)
    {
        Sodium.EnsureInitialized();
        fixed (byte* q = edwardsPublic)
        fixed (byte* n = clampedPrivateKey)
        {
            // A clamped key is a non-zero multiple of 8 below 2^255 and never a multiple of ℓ in practice;
            // libsodium writes the point even when it signals the identity.
            _ = Sodium.crypto_scalarmult_ed25519_base_noclamp(q, n);
        }
    }

    /// <summary>Signs with a clamped private key whose Edwards public key is already known.</summary>
    internal static void Sign(ReadOnlySpan<byte> clampedPrivateKey, ReadOnlySpan<byte> edwardsPublic, ReadOnlySpan<byte> message, ReadOnlySpan<byte> random64, Span<byte> signature)
    {
        if (random64.Length != RandomLength)
        {
            throw new ArgumentException("expected 64 random bytes", nameof(random64));
        }

        if (signature.Length != SignatureLength)
        {
            throw new ArgumentException("expected a 64-byte destination", nameof(signature));
        }

        Sodium.EnsureInitialized();
        Span<ulong> state = stackalloc ulong[Sodium.Sha512StateWords];
        Span<byte> wide = stackalloc byte[64];
        Span<byte> r = stackalloc byte[32];
        Span<byte> aReduced = stackalloc byte[32];
        Span<byte> h = stackalloc byte[32];
        Span<byte> prefix = stackalloc byte[32];
        prefix.Fill(0xFF);
        prefix[0] = 0xFE;
        try
        {
            fixed (ulong* st = state)
            fixed (byte* pPrefix = prefix)
            fixed (byte* pA = clampedPrivateKey)
            fixed (byte* pMessage = message)
            fixed (byte* pRandom = random64)
            fixed (byte* pWide = wide)
            fixed (byte* pR = r)
            fixed (byte* pAred = aReduced)
            fixed (byte* pH = h)
            fixed (byte* pEdPub = edwardsPublic)
            fixed (byte* pSig = signature)
            {
                // r = SHA-512(0xFE ‖ 0xFF×31 ‖ a ‖ M ‖ Z) mod ℓ
                Sodium.crypto_hash_sha512_init(st);
                Sodium.crypto_hash_sha512_update(st, pPrefix, 32);
                Sodium.crypto_hash_sha512_update(st, pA, 32);
                Sodium.crypto_hash_sha512_update(st, pMessage, (ulong)message.Length);
                Sodium.crypto_hash_sha512_update(st, pRandom, 64);
                Sodium.crypto_hash_sha512_final(st, pWide);
                Sodium.crypto_core_ed25519_scalar_reduce(pR, pWide);

                // R = r·B (the identity only for r = 0, probability 2^-252; the encoding is still written).
                _ = Sodium.crypto_scalarmult_ed25519_base_noclamp(pSig, pR);

                // h = SHA-512(R ‖ A ‖ M) mod ℓ
                Sodium.crypto_hash_sha512_init(st);
                Sodium.crypto_hash_sha512_update(st, pSig, 32);
                Sodium.crypto_hash_sha512_update(st, pEdPub, 32);
                Sodium.crypto_hash_sha512_update(st, pMessage, (ulong)message.Length);
                Sodium.crypto_hash_sha512_final(st, pWide);
                Sodium.crypto_core_ed25519_scalar_reduce(pH, pWide);

                // s = h·a + r mod ℓ (a reduced first so every libsodium scalar input is below ℓ).
                wide.Clear();
                clampedPrivateKey.CopyTo(wide);
                Sodium.crypto_core_ed25519_scalar_reduce(pAred, pWide);
                Sodium.crypto_core_ed25519_scalar_mul(pH, pH, pAred);
                Sodium.crypto_core_ed25519_scalar_add(pSig + 32, pH, pR);
            }

            // s < ℓ < 2^253, so bit 7 of byte 63 is free for the sign of A.
            signature[63] |= (byte)(edwardsPublic[31] & 0x80);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(state));
            CryptographicOperations.ZeroMemory(wide);
            CryptographicOperations.ZeroMemory(r);
            CryptographicOperations.ZeroMemory(aReduced);
            CryptographicOperations.ZeroMemory(h);
        }
    }

    /// <summary>Signs with fresh randomness from <paramref name="random"/> (or the system CSPRNG).</summary>
    internal static void Sign(ReadOnlySpan<byte> clampedPrivateKey, ReadOnlySpan<byte> edwardsPublic, ReadOnlySpan<byte> message, Span<byte> signature, RandomSource? random)
    {
        Span<byte> z = stackalloc byte[RandomLength];
        try
        {
            (random ?? RandomSource.Secure).Fill(z);
            Sign(clampedPrivateKey, edwardsPublic, message, z, signature);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(z);
        }
    }

    /// <summary>
    /// Verifies an XEdDSA signature against a Montgomery public key. Returns false for any malformed input
    /// (wrong lengths, s ≥ 2^253, a u-coordinate with no Edwards point, a non-canonical or wrong R).
    /// </summary>
    /// <param name="publicKey">32-byte u-coordinate (bit 255 ignored).</param>
    /// <param name="message">The signed message.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>True when the signature is valid.</returns>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != X25519.KeyLength || signature.Length != SignatureLength || (signature[63] & 0x60) != 0)
        {
            return false;
        }

        return VerifyDecodingKey(publicKey, message, signature, out _);
    }

    /// <summary>
    /// Verification for a key without a cached Edwards form. With AVX2, the key's conversion and the decoding of
    /// R share one 4-way exponentiation and the result is compared with R as a point (no final inversion).
    /// <paramref name="edwardsKey"/> receives the key's Edwards form for caching (null when it has none).
    /// </summary>
    internal static bool VerifyDecodingKey(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out EdwardsPublicKey? edwardsKey)
    {
        if (signature.Length == SignatureLength && (signature[63] & 0x60) == 0)
        {
            bool negative = (signature[63] & 0x80) != 0;
            Span<byte> edwardsPublic = stackalloc byte[32];
            if (EdwardsDecoding.TryDecodeKeyAndR(publicKey, negative, signature[..32], out EdwardsPoint pointA, edwardsPublic, out EdwardsPoint pointR, out bool handled))
            {
                edwardsKey = EdwardsPublicKey.FromSigned(pointA, edwardsPublic, negative);
                return VerifyAgainstPoint(pointA, edwardsPublic, message, signature, pointR);
            }

            if (handled)
            {
                // Either the key has no Edwards point or R is not a valid encoding; only the first is cacheable,
                // so the caller recomputes the key form on its own when it needs it.
                edwardsKey = EdwardsPublicKey.TryFromMontgomery(publicKey);
                return false;
            }
        }

        edwardsKey = EdwardsPublicKey.TryFromMontgomery(publicKey);
        return Verify(edwardsKey, message, signature);
    }

    /// <summary>Verification with the key's Edwards form already computed (null: the key has none).</summary>
    internal static bool Verify(EdwardsPublicKey? edwardsKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        // Everything here is public data: variable time is fine.
        if (edwardsKey is null || signature.Length != SignatureLength || (signature[63] & 0x60) != 0)
        {
            return false;
        }

        Span<byte> edwardsPublic = stackalloc byte[32];
        EdwardsPoint pointA = edwardsKey.WithSign((signature[63] & 0x80) != 0, edwardsPublic);
        return VerifyEdwards(pointA, edwardsPublic, message, signature);
    }

    /// <summary>Checks s·B − h·A = R for an already decoded, canonical R (projective comparison).</summary>
    private static bool VerifyAgainstPoint(in EdwardsPoint pointA, ReadOnlySpan<byte> edwardsPublic, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, in EdwardsPoint pointR)
    {
        EdwardsPoint check = ComputeCheckPoint(pointA, edwardsPublic, message, signature);
        // R is affine (Z = 1): equal points iff X = x_R·Z and Y = y_R·Z.
        return check.X.ValueEquals(FieldElement.Mul(pointR.X, check.Z)) && check.Y.ValueEquals(FieldElement.Mul(pointR.Y, check.Z));
    }

    /// <summary>Checks s·B − h·A = R with h = SHA-512(R ‖ A ‖ M) mod ℓ, comparing encodings exactly.</summary>
    internal static bool VerifyEdwards(in EdwardsPoint pointA, ReadOnlySpan<byte> edwardsPublic, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        EdwardsPoint check = ComputeCheckPoint(pointA, edwardsPublic, message, signature);
        Span<byte> encoded = stackalloc byte[32];
        check.Compress(encoded);
        return encoded.SequenceEqual(signature[..32]);
    }

    /// <summary>s·B − h·A with h = SHA-512(R ‖ A ‖ M) mod ℓ and s = the signature's last 32 bytes without bit 255.</summary>
    private static EdwardsPoint ComputeCheckPoint(in EdwardsPoint pointA, ReadOnlySpan<byte> edwardsPublic, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        Sodium.EnsureInitialized();
        Span<byte> s = stackalloc byte[32];
        signature[32..].CopyTo(s);
        s[31] &= 0x7F;

        Span<ulong> state = stackalloc ulong[Sodium.Sha512StateWords];
        Span<byte> wide = stackalloc byte[64];
        Span<byte> h = stackalloc byte[32];
        fixed (ulong* st = state)
        fixed (byte* pSig = signature)
        fixed (byte* pEdPub = edwardsPublic)
        fixed (byte* pMessage = message)
        fixed (byte* pWide = wide)
        fixed (byte* pH = h)
        {
            Sodium.crypto_hash_sha512_init(st);
            Sodium.crypto_hash_sha512_update(st, pSig, 32);
            Sodium.crypto_hash_sha512_update(st, pEdPub, 32);
            Sodium.crypto_hash_sha512_update(st, pMessage, (ulong)message.Length);
            Sodium.crypto_hash_sha512_final(st, pWide);
            Sodium.crypto_core_ed25519_scalar_reduce(pH, pWide);
        }

        return EdwardsMultiplication.DoubleScalarMulBase(h, pointA.Negate(), s);
    }
}
