namespace SignalSharp.Curves;

/// <summary>Validity checks on Curve25519 public u-coordinates (public data; variable time).</summary>
internal static unsafe class MontgomeryPublicKeyCheck
{
    /// <summary>
    /// The PQXDH base-key rule: false when bit 255 is set, when the value is ≥ 2^255 − 19, or when the point
    /// (converted to Edwards form with sign 0) does not exist or is not in the prime-order subgroup.
    /// </summary>
    /// <param name="publicKey">32-byte u-coordinate.</param>
    /// <returns>True for a canonical, torsion-free key.</returns>
    public static bool IsCanonicalAndTorsionFree(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != X25519.KeyLength || (publicKey[31] & 0x80) != 0 || !EdwardsDecoding.IsCanonicalFieldEncoding(publicKey))
        {
            return false;
        }

        Span<byte> encoded = stackalloc byte[32];
        if (!EdwardsDecoding.TryMontgomeryToEdwards(publicKey, negative: false, out _, encoded))
        {
            return false;
        }

        Sodium.EnsureInitialized();
        fixed (byte* p = encoded)
        {
            // Canonical, on the curve, not of small order, and ℓ·P = identity.
            return Sodium.crypto_core_ed25519_is_valid_point(p) == 1;
        }
    }
}
