using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;

namespace SignalSharp.Handshake;

/// <summary>
/// PQXDH key agreement (Signal's PQXDH specification, as libsignal 0.103 instantiates it): three or four
/// X25519 agreements plus one Kyber1024 shared secret, fed to HKDF after 32 bytes of 0xFF.
/// </summary>
internal static class Pqxdh
{
    private const int DhSize = 32;

    private static readonly string[] DhNames = ["pqxdh.dh1", "pqxdh.dh2", "pqxdh.dh3", "pqxdh.dh4"];

    private static ReadOnlySpan<byte> Info => "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"u8;

    /// <summary>The initiator's side: Alice with her identity and a fresh base key, against Bob's bundle keys.</summary>
    /// <param name="ourIdentity">IK_A.</param>
    /// <param name="ourBaseKey">EK_A (freshly generated).</param>
    /// <param name="theirIdentity">IK_B.</param>
    /// <param name="theirSignedPreKey">SPK_B.</param>
    /// <param name="theirOneTimePreKey">OPK_B, or null.</param>
    /// <param name="kyberSharedSecret">The shared secret of the encapsulation to PQPK_B.</param>
    public static PqxdhKeys Initiate(
        EcPrivateKey ourIdentity,
        EcPrivateKey ourBaseKey,
        IdentityKey theirIdentity,
        EcPublicKey theirSignedPreKey,
        EcPublicKey? theirOneTimePreKey,
        ReadOnlySpan<byte> kyberSharedSecret)
    {
        int dhCount = theirOneTimePreKey is null ? 3 : 4;
        var secret = new byte[32 + (dhCount * DhSize) + kyberSharedSecret.Length];
        try
        {
            secret.AsSpan(0, 32).Fill(0xFF);
            ourIdentity.CalculateAgreement(theirSignedPreKey, secret.AsSpan(32, DhSize));
            ourBaseKey.CalculateAgreement(theirIdentity.PublicKey, secret.AsSpan(32 + DhSize, DhSize));
            ourBaseKey.CalculateAgreement(theirSignedPreKey, secret.AsSpan(32 + (2 * DhSize), DhSize));
            if (theirOneTimePreKey is not null)
            {
                ourBaseKey.CalculateAgreement(theirOneTimePreKey, secret.AsSpan(32 + (3 * DhSize), DhSize));
            }

            kyberSharedSecret.CopyTo(secret.AsSpan(32 + (dhCount * DhSize)));
            Trace(secret, dhCount);
            return Derive(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The responder's side: Bob's keys against Alice's identity and base key.</summary>
    /// <param name="ourIdentity">IK_B.</param>
    /// <param name="ourSignedPreKey">SPK_B.</param>
    /// <param name="ourOneTimePreKey">OPK_B, or null when the message names none.</param>
    /// <param name="theirIdentity">IK_A.</param>
    /// <param name="theirBaseKey">EK_A (already checked to be canonical and torsion-free).</param>
    /// <param name="kyberSharedSecret">The decapsulated Kyber shared secret.</param>
    public static PqxdhKeys Respond(
        EcPrivateKey ourIdentity,
        EcPrivateKey ourSignedPreKey,
        EcPrivateKey? ourOneTimePreKey,
        IdentityKey theirIdentity,
        EcPublicKey theirBaseKey,
        ReadOnlySpan<byte> kyberSharedSecret)
    {
        int dhCount = ourOneTimePreKey is null ? 3 : 4;
        var secret = new byte[32 + (dhCount * DhSize) + kyberSharedSecret.Length];
        try
        {
            secret.AsSpan(0, 32).Fill(0xFF);
            ourSignedPreKey.CalculateAgreement(theirIdentity.PublicKey, secret.AsSpan(32, DhSize));
            ourIdentity.CalculateAgreement(theirBaseKey, secret.AsSpan(32 + DhSize, DhSize));
            ourSignedPreKey.CalculateAgreement(theirBaseKey, secret.AsSpan(32 + (2 * DhSize), DhSize));
            ourOneTimePreKey?.CalculateAgreement(theirBaseKey, secret.AsSpan(32 + (3 * DhSize), DhSize));
            kyberSharedSecret.CopyTo(secret.AsSpan(32 + (dhCount * DhSize)));
            Trace(secret, dhCount);
            return Derive(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    // DH1..DH4 in the order both sides concatenate them (see Initiate), then the Kyber shared secret.
    private static void Trace(ReadOnlySpan<byte> secret, int dhCount)
    {
        if (ProtocolTrace.Sink is not { } trace)
        {
            return;
        }

        for (int i = 0; i < dhCount; i++)
        {
            trace.Record(DhNames[i], secret.Slice(32 + (i * DhSize), DhSize));
        }

        trace.Record("pqxdh.kyber_shared_secret", secret[(32 + (dhCount * DhSize))..]);
    }

    private static PqxdhKeys Derive(ReadOnlySpan<byte> secret)
    {
        Span<byte> okm = stackalloc byte[96];
        try
        {
            SignalHkdf.DeriveKey(secret, [], Info, okm);
            if (ProtocolTrace.Sink is { } trace)
            {
                trace.Record("pqxdh.root_key", okm[..32]);
                trace.Record("pqxdh.chain_key", okm[32..64]);
                trace.Record("pqxdh.spqr_auth_key", okm[64..]);
            }

            return new PqxdhKeys(okm[..32].ToArray(), okm[32..64].ToArray(), okm[64..].ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }
}
