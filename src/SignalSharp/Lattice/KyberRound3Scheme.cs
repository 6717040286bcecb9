using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace SignalSharp.Lattice;

/// <summary>
/// The CRYSTALS-Kyber round-3 KEM (specification v3.02, Algorithms 7–9) around <see cref="KPke"/>. It
/// differs from ML-KEM only here: keygen expands G(d) without the rank byte, encapsulation hashes its coins
/// (m ← H(m)), and the shared secret is KDF(K̄ ‖ H(c)) = SHAKE-256 with K̄ = z on rejection.
/// </summary>
internal static class KyberRound3Scheme
{
    /// <summary>Key generation from the seeds d (IND-CPA seed) and z (rejection secret).</summary>
    [SkipLocalsInit]
    public static void GenerateKeyPair(LatticeParameters p, ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> pk, Span<byte> sk)
    {
        Span<byte> seeds = stackalloc byte[64];
        Sha3.Sha3_512(d, default, seeds);
        KPke.GenerateKeys(p, seeds[..32], seeds[32..], pk, sk[..p.VectorBytes]);
        CryptographicOperations.ZeroMemory(seeds);

        pk[..p.PublicKeyBytes].CopyTo(sk.Slice(p.VectorBytes, p.PublicKeyBytes));
        Sha3.Sha3_256(pk[..p.PublicKeyBytes], default, sk.Slice(p.VectorBytes + p.PublicKeyBytes, 32));
        z.CopyTo(sk.Slice(p.SecretKeyBytes - 32, 32));
    }

    /// <summary>Encapsulation with the 32 random bytes <paramref name="coins"/> (hashed before use, as in round 3).</summary>
    [SkipLocalsInit]
    public static void Encapsulate(LatticeParameters p, ReadOnlySpan<byte> pk, ReadOnlySpan<byte> coins, Span<byte> ct, Span<byte> sharedSecret)
    {
        Span<byte> m = stackalloc byte[32];
        Span<byte> pkHash = stackalloc byte[32];
        Span<byte> kr = stackalloc byte[64];
        Sha3.Sha3_256(coins, default, m);
        Sha3.Sha3_256(pk, default, pkHash);
        Sha3.Sha3_512(m, pkHash, kr);
        KPke.Encrypt(p, pk, m, kr[32..], ct);

        // K = KDF(K̄ ‖ H(c)); the hash of c overwrites the coins half of kr, as the specification does.
        Sha3.Sha3_256(ct[..p.CiphertextBytes], default, kr[32..]);
        Sha3.Shake256(kr, default, sharedSecret[..32]);
        CryptographicOperations.ZeroMemory(m);
        CryptographicOperations.ZeroMemory(kr);
    }

    /// <summary>Decapsulation with implicit rejection: K̄ is replaced by z through a constant-time select.</summary>
    [SkipLocalsInit]
    public static void Decapsulate(LatticeParameters p, ReadOnlySpan<byte> sk, ReadOnlySpan<byte> ct, Span<byte> sharedSecret)
    {
        ReadOnlySpan<byte> secretVector = sk[..p.VectorBytes];
        ReadOnlySpan<byte> pk = sk.Slice(p.VectorBytes, p.PublicKeyBytes);
        ReadOnlySpan<byte> pkHash = sk.Slice(p.VectorBytes + p.PublicKeyBytes, 32);
        ReadOnlySpan<byte> z = sk.Slice(p.SecretKeyBytes - 32, 32);

        Span<byte> m = stackalloc byte[32];
        Span<byte> kr = stackalloc byte[64];
        Span<byte> reencrypted = stackalloc byte[p.CiphertextBytes];

        KPke.Decrypt(p, secretVector, ct, m);
        Sha3.Sha3_512(m, pkHash, kr);
        KPke.Encrypt(p, pk, m, kr[32..], reencrypted);
        int equal = ConstantTime.EqualMask(ct, reencrypted);
        ConstantTime.Select(kr[..32], kr[..32], z, equal);
        Sha3.Sha3_256(ct, default, kr[32..]);
        Sha3.Shake256(kr, default, sharedSecret[..32]);

        CryptographicOperations.ZeroMemory(m);
        CryptographicOperations.ZeroMemory(kr);
        CryptographicOperations.ZeroMemory(reencrypted);
    }
}
