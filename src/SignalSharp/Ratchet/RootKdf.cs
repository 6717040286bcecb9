using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;

namespace SignalSharp.Ratchet;

/// <summary>The Diffie-Hellman ratchet step: a new root key and chain key from the old root and a fresh DH.</summary>
internal static class RootKdf
{
    private static ReadOnlySpan<byte> Info => "WhisperRatchet"u8;

    /// <summary>HKDF(salt = root, ikm = DH(ours, theirs), "WhisperRatchet", 64) → (new root, chain key).</summary>
    public static (byte[] RootKey, byte[] ChainKey) Step(ReadOnlySpan<byte> rootKey, EcPrivateKey ours, EcPublicKey theirs)
    {
        Span<byte> shared = stackalloc byte[32];
        Span<byte> okm = stackalloc byte[64];
        try
        {
            ours.CalculateAgreement(theirs, shared);
            SignalHkdf.DeriveKey(shared, rootKey, Info, okm);
            if (ProtocolTrace.Sink is { } trace)
            {
                var ourPrivate = ours.Serialize();
                trace.Record("ratchet.our_private_key", ourPrivate);
                CryptographicOperations.ZeroMemory(ourPrivate);
                trace.Record("ratchet.our_public_key", ours.PublicKey.PublicKeyBytes);
                trace.Record("ratchet.their_public_key", theirs.PublicKeyBytes);
                trace.Record("ratchet.dh", shared);
                trace.Record("ratchet.root_key_in", rootKey);
                trace.Record("ratchet.root_key", okm[..32]);
                trace.Record("ratchet.chain_key", okm[32..]);
            }

            return (okm[..32].ToArray(), okm[32..].ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
            CryptographicOperations.ZeroMemory(okm);
        }
    }
}
