using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Lattice;

/// <summary>Which FO wrapper sits around the shared K-PKE core.</summary>
internal enum LatticeKemFlavor
{
    /// <summary>FIPS 203 ML-KEM.</summary>
    MlKem,

    /// <summary>CRYSTALS-Kyber as submitted to NIST round 3 (libsignal's Kyber1024).</summary>
    KyberRound3,
}

/// <summary>
/// The checked entry points shared by the public per-parameter-set classes (<see cref="MlKem768"/>,
/// <see cref="MlKem1024"/>, <see cref="Kyber1024"/>): argument sizes, seed handling, dispatch to the scheme.
/// The flavor and parameters are public choices, so branching on them is fine.
/// </summary>
internal static class LatticeKem
{
    private const int SeedSize = 32;
    private const int SharedSecretSize = 32;

    public static void GenerateKeyPair(LatticeKemFlavor flavor, LatticeParameters p, ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> ek, Span<byte> dk)
    {
        SpanArguments.RequireExact(d, SeedSize, nameof(d));
        SpanArguments.RequireExact(z, SeedSize, nameof(z));
        SpanArguments.RequireRoom(ek, p.PublicKeyBytes, nameof(ek));
        SpanArguments.RequireRoom(dk, p.SecretKeyBytes, nameof(dk));
        if (flavor == LatticeKemFlavor.KyberRound3)
        {
            KyberRound3Scheme.GenerateKeyPair(p, d, z, ek, dk);
        }
        else
        {
            MlKemScheme.GenerateKeyPair(p, d, z, ek, dk);
        }
    }

    [SkipLocalsInit]
    public static void GenerateKeyPair(LatticeKemFlavor flavor, LatticeParameters p, Span<byte> ek, Span<byte> dk, RandomSource? random)
    {
        Span<byte> seeds = stackalloc byte[2 * SeedSize];
        (random ?? RandomSource.Secure).Fill(seeds);
        try
        {
            GenerateKeyPair(flavor, p, seeds[..SeedSize], seeds[SeedSize..], ek, dk);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seeds);
        }
    }

    [SkipLocalsInit]
    public static void Encapsulate(LatticeKemFlavor flavor, LatticeParameters p, ReadOnlySpan<byte> ek, ReadOnlySpan<byte> m, Span<byte> ct, Span<byte> sharedSecret)
    {
        SpanArguments.RequireExact(ek, p.PublicKeyBytes, nameof(ek));
        SpanArguments.RequireExact(m, SeedSize, nameof(m));
        SpanArguments.RequireRoom(ct, p.CiphertextBytes, nameof(ct));
        SpanArguments.RequireRoom(sharedSecret, SharedSecretSize, nameof(sharedSecret));
        if (flavor == LatticeKemFlavor.KyberRound3)
        {
            // Round 3 uses any 1568 bytes as read (12-bit values ≥ q included), as its reference does.
            KyberRound3Scheme.Encapsulate(p, ek, m, ct, sharedSecret);
            return;
        }

        if (!MlKemScheme.IsCanonicalVector(p, ek[..p.VectorBytes]))
        {
            throw new ArgumentException("The encapsulation key fails the FIPS 203 modulus check.", nameof(ek));
        }

        Span<byte> ekHash = stackalloc byte[32];
        Sha3.Sha3_256(ek, default, ekHash);
        MlKemScheme.Encapsulate(p, ek, ekHash, m, ct, sharedSecret);
    }

    public static void Decapsulate(LatticeKemFlavor flavor, LatticeParameters p, ReadOnlySpan<byte> dk, ReadOnlySpan<byte> ct, Span<byte> sharedSecret)
    {
        SpanArguments.RequireExact(dk, p.SecretKeyBytes, nameof(dk));
        SpanArguments.RequireExact(ct, p.CiphertextBytes, nameof(ct));
        SpanArguments.RequireRoom(sharedSecret, SharedSecretSize, nameof(sharedSecret));
        if (flavor == LatticeKemFlavor.KyberRound3)
        {
            KyberRound3Scheme.Decapsulate(p, dk, ct, sharedSecret);
        }
        else
        {
            MlKemScheme.Decapsulate(p, dk, ct, sharedSecret);
        }
    }

    public static bool IsValidEncapsulationKey(LatticeParameters p, ReadOnlySpan<byte> ek) =>
        ek.Length == p.PublicKeyBytes && MlKemScheme.IsCanonicalVector(p, ek[..p.VectorBytes]);

    public static bool IsValidDecapsulationKey(LatticeParameters p, ReadOnlySpan<byte> dk) =>
        dk.Length == p.SecretKeyBytes && MlKemScheme.HasConsistentHash(p, dk);
}
