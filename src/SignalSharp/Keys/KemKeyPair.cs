using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp;

/// <summary>A KEM key pair (a Kyber pre-key). Disposing it wipes the secret key.</summary>
public sealed class KemKeyPair : IDisposable
{
    /// <summary>Pairs an existing public and secret key (for example when loading a stored pre-key).</summary>
    /// <param name="publicKey">The public key.</param>
    /// <param name="secretKey">The secret key of the same type; the pair takes ownership.</param>
    /// <exception cref="InvalidKeyException">The two keys have different types.</exception>
    public KemKeyPair(KemPublicKey publicKey, KemSecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(secretKey);
        if (publicKey.Type != secretKey.Type)
        {
            throw new InvalidKeyException("KEM public and secret key types differ.");
        }

        PublicKey = publicKey;
        SecretKey = secretKey;
    }

    /// <summary>The public half.</summary>
    public KemPublicKey PublicKey { get; }

    /// <summary>The secret half.</summary>
    public KemSecretKey SecretKey { get; }

    /// <summary>Generates a key pair.</summary>
    /// <param name="type">The KEM; libsignal 0.103 only accepts <see cref="KemType.Kyber1024"/>.</param>
    /// <param name="random">Randomness (64 bytes: d then z); <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The new key pair.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An undefined <paramref name="type"/>.</exception>
    public static KemKeyPair Generate(KemType type = KemType.Kyber1024, RandomSource? random = null)
    {
        if (!KemAlgorithm.IsKnown((byte)type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown KEM type.");
        }

        Span<byte> seeds = stackalloc byte[64];
        var publicKey = new byte[KemPublicKey.SerializedSize];
        var secretKey = new byte[KemSecretKey.SerializedSize];
        try
        {
            (random ?? RandomSource.Secure).Fill(seeds);
            publicKey[0] = (byte)type;
            secretKey[0] = (byte)type;
            KemAlgorithm.GenerateKeyPair(type, seeds[..32], seeds[32..], publicKey.AsSpan(1), secretKey.AsSpan(1));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seeds);
        }

        return new KemKeyPair(new KemPublicKey(publicKey), new KemSecretKey(secretKey));
    }

    /// <summary>Wipes the secret key.</summary>
    public void Dispose() => SecretKey.Dispose();
}
