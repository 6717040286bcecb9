using System.Diagnostics;
using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Curves;

namespace SignalSharp;

/// <summary>
/// A Curve25519 private key: 32 raw bytes, clamped on creation and on load (as libsignal does). Computes X25519
/// agreements and XEdDSA signatures. Disposing wipes the key; any use afterwards throws
/// <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class EcPrivateKey : IDisposable
{
    /// <summary>Length of the serialized key.</summary>
    public const int SerializedLength = 32;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] _key;
    private EcPublicKey? _publicKey;
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private byte[]? _edwardsPublic;
    private bool _disposed;

    private EcPrivateKey(byte[] clampedKey) => _key = clampedKey;

    /// <summary>Creates a fresh key.</summary>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The new key.</returns>
    public static EcPrivateKey Generate(RandomSource? random = null)
    {
        var key = new byte[X25519.KeyLength];
        X25519.GeneratePrivateKey(key, random);
        return new EcPrivateKey(key);
    }

    /// <summary>Loads 32 raw bytes, clamping them.</summary>
    /// <param name="serialized">Exactly 32 bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidKeyException">Not 32 bytes.</exception>
    public static EcPrivateKey Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (serialized.Length != SerializedLength)
        {
            throw new InvalidKeyException($"bad private key length <{serialized.Length}>");
        }

        var key = serialized.ToArray();
        X25519.ClampPrivateKey(key);
        return new EcPrivateKey(key);
    }

    /// <summary>The matching public key (computed once).</summary>
    public EcPublicKey PublicKey
    {
        get
        {
            ThrowIfDisposed();
            if (_publicKey is null)
            {
                var pub = new byte[X25519.KeyLength];
                X25519.ComputePublicKey(_key, pub);
                _publicKey = EcPublicKey.FromOwnedBytes(pub);
            }

            return _publicKey;
        }
    }

    /// <summary>The 32 clamped key bytes (a fresh array the caller should wipe).</summary>
    /// <returns>The key bytes.</returns>
    public byte[] Serialize()
    {
        ThrowIfDisposed();
        return (byte[])_key.Clone();
    }

    /// <summary>X25519 with their public key into <paramref name="sharedSecret"/>.</summary>
    /// <param name="theirs">Their public key.</param>
    /// <param name="sharedSecret">Destination of 32 bytes.</param>
    /// <exception cref="InvalidKeyException">The result is all zero (their key has small order).</exception>
    public void CalculateAgreement(EcPublicKey theirs, Span<byte> sharedSecret)
    {
        ArgumentNullException.ThrowIfNull(theirs);
        ThrowIfDisposed();
        if (sharedSecret.Length != X25519.KeyLength)
        {
            throw new ArgumentException("expected a 32-byte destination", nameof(sharedSecret));
        }

        if (!X25519.TryAgree(_key, theirs.PublicKeyBytes, sharedSecret))
        {
            throw new InvalidKeyException("invalid key agreement: all-zero shared secret");
        }
    }

    /// <summary>X25519 with their public key.</summary>
    /// <param name="theirs">Their public key.</param>
    /// <returns>The 32-byte shared secret (the caller should wipe it).</returns>
    /// <exception cref="InvalidKeyException">The result is all zero (their key has small order).</exception>
    public byte[] CalculateAgreement(EcPublicKey theirs)
    {
        var shared = new byte[X25519.KeyLength];
        CalculateAgreement(theirs, shared);
        return shared;
    }

    /// <summary>
    /// An independent copy (wiped on its own <see cref="Dispose"/>) that keeps the public data already derived from
    /// this key — the Montgomery public key and the Edwards form signing needs — so a copied signing key does not
    /// redo the fixed-base multiplication (stores hand out copies of sender-key records on every message).
    /// </summary>
    internal EcPrivateKey Clone()
    {
        ThrowIfDisposed();
        return new EcPrivateKey((byte[])_key.Clone()) { _publicKey = _publicKey, _edwardsPublic = _edwardsPublic };
    }

    /// <summary>An XEdDSA signature of <paramref name="message"/>.</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <param name="random">Source of the 64-byte nonce randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The 64-byte signature.</returns>
    public byte[] CalculateSignature(ReadOnlySpan<byte> message, RandomSource? random = null)
    {
        var signature = new byte[XEdDsa.SignatureLength];
        CalculateSignature(message, signature, random);
        return signature;
    }

    /// <summary>An XEdDSA signature of <paramref name="message"/> into <paramref name="signature"/>.</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <param name="signature">Destination of 64 bytes.</param>
    /// <param name="random">Source of the 64-byte nonce randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public void CalculateSignature(ReadOnlySpan<byte> message, Span<byte> signature, RandomSource? random = null)
    {
        ThrowIfDisposed();
        if (signature.Length != XEdDsa.SignatureLength)
        {
            throw new ArgumentException("expected a 64-byte destination", nameof(signature));
        }

        XEdDsa.Sign(_key, EdwardsPublic(), message, signature, random);
    }

    /// <summary>The Edwards form a·B of the public key with its real sign (public; computed once per key).</summary>
    private byte[] EdwardsPublic()
    {
        byte[]? edwards = _edwardsPublic;
        if (edwards is null)
        {
            edwards = new byte[32];
            XEdDsa.ComputeEdwardsPublicKey(_key, edwards);
            _edwardsPublic = edwards;
        }

        return edwards;
    }

    /// <summary>Wipes the key bytes.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_key);
        }
    }

    /// <summary>Never shows key material.</summary>
    /// <returns>A fixed description.</returns>
    public override string ToString() => _disposed ? "EcPrivateKey(disposed)" : "EcPrivateKey";

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
