using SignalSharp.Crypto;

namespace SignalSharp;

/// <summary>A Curve25519 private key with its public key. Disposing wipes the private key.</summary>
public sealed class EcKeyPair : IDisposable
{
    /// <summary>Wraps a private key (taking ownership); the public key is derived from it.</summary>
    /// <param name="privateKey">The private key.</param>
    public EcKeyPair(EcPrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        PrivateKey = privateKey;
        PublicKey = privateKey.PublicKey;
    }

    /// <summary>The public half.</summary>
    public EcPublicKey PublicKey { get; }

    /// <summary>The private half.</summary>
    public EcPrivateKey PrivateKey { get; }

    /// <summary>Creates a fresh key pair.</summary>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The key pair.</returns>
    public static EcKeyPair Generate(RandomSource? random = null) => new(EcPrivateKey.Generate(random));

    /// <summary>Wipes the private key.</summary>
    public void Dispose() => PrivateKey.Dispose();
}
