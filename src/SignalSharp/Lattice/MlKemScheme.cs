using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace SignalSharp.Lattice;

/// <summary>
/// The FIPS 203 ML-KEM wrapper around <see cref="KPke"/> (Algorithms 16–18: KeyGen_internal,
/// Encaps_internal, Decaps_internal) for any parameter set. Lengths are checked by the public facades.
/// </summary>
internal static class MlKemScheme
{
    /// <summary>ML-KEM.KeyGen_internal(d, z): (ρ, σ) ← G(d ‖ k); dk = dk_PKE ‖ ek ‖ H(ek) ‖ z.</summary>
    [SkipLocalsInit]
    public static void GenerateKeyPair(LatticeParameters p, ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> ek, Span<byte> dk)
    {
        Span<byte> seeds = stackalloc byte[64];
        Span<byte> rank = [(byte)p.K];
        Sha3.Sha3_512(d, rank, seeds);
        KPke.GenerateKeys(p, seeds[..32], seeds[32..], ek, dk[..p.VectorBytes]);
        CryptographicOperations.ZeroMemory(seeds);

        ek[..p.PublicKeyBytes].CopyTo(dk.Slice(p.VectorBytes, p.PublicKeyBytes));
        Sha3.Sha3_256(ek[..p.PublicKeyBytes], default, dk.Slice(p.VectorBytes + p.PublicKeyBytes, 32));
        z.CopyTo(dk.Slice(p.SecretKeyBytes - 32, 32));
    }

    /// <summary>ML-KEM.Encaps_internal(ek, m) with H(ek) already known.</summary>
    [SkipLocalsInit]
    public static void Encapsulate(LatticeParameters p, ReadOnlySpan<byte> ek, ReadOnlySpan<byte> ekHash, ReadOnlySpan<byte> m, Span<byte> ct, Span<byte> sharedSecret)
    {
        Span<byte> kr = stackalloc byte[64];
        Sha3.Sha3_512(m, ekHash, kr);
        KPke.Encrypt(p, ek, m, kr[32..], ct);
        kr[..32].CopyTo(sharedSecret);
        CryptographicOperations.ZeroMemory(kr);
    }

    /// <summary>ML-KEM.Decaps_internal(dk, c) with implicit rejection K̄ = J(z ‖ c) chosen by a constant-time select.</summary>
    [SkipLocalsInit]
    public static void Decapsulate(LatticeParameters p, ReadOnlySpan<byte> dk, ReadOnlySpan<byte> ct, Span<byte> sharedSecret)
    {
        ReadOnlySpan<byte> secretVector = dk[..p.VectorBytes];
        ReadOnlySpan<byte> ek = dk.Slice(p.VectorBytes, p.PublicKeyBytes);
        ReadOnlySpan<byte> ekHash = dk.Slice(p.VectorBytes + p.PublicKeyBytes, 32);
        ReadOnlySpan<byte> z = dk.Slice(p.SecretKeyBytes - 32, 32);

        Span<byte> m = stackalloc byte[32];
        Span<byte> kr = stackalloc byte[64];
        Span<byte> rejection = stackalloc byte[32];
        Span<byte> reencrypted = stackalloc byte[p.CiphertextBytes];

        KPke.Decrypt(p, secretVector, ct, m);
        Sha3.Sha3_512(m, ekHash, kr);
        Sha3.Shake256(z, ct, rejection);
        KPke.Encrypt(p, ek, m, kr[32..], reencrypted);
        int equal = ConstantTime.EqualMask(ct, reencrypted);
        ConstantTime.Select(sharedSecret[..32], kr[..32], rejection, equal);

        CryptographicOperations.ZeroMemory(m);
        CryptographicOperations.ZeroMemory(kr);
        CryptographicOperations.ZeroMemory(rejection);
        CryptographicOperations.ZeroMemory(reencrypted);
    }

    /// <summary>FIPS 203 §7.2 modulus check: every 12-bit value of the encoded t̂ is below q.</summary>
    public static bool IsCanonicalVector(LatticeParameters p, ReadOnlySpan<byte> vector)
    {
        bool canonical = true;
        for (int i = 0; i < p.K; i++)
        {
            canonical &= PolyCodec.IsCanonical12(vector.Slice(i * PolyCodec.PolyBytes, PolyCodec.PolyBytes));
        }

        return canonical;
    }

    /// <summary>FIPS 203 §7.3 hash check: the H(ek) stored in dk matches the stored ek.</summary>
    [SkipLocalsInit]
    public static bool HasConsistentHash(LatticeParameters p, ReadOnlySpan<byte> dk)
    {
        Span<byte> hash = stackalloc byte[32];
        Sha3.Sha3_256(dk.Slice(p.VectorBytes, p.PublicKeyBytes), default, hash);
        return CryptographicOperations.FixedTimeEquals(hash, dk.Slice(p.VectorBytes + p.PublicKeyBytes, 32));
    }
}
