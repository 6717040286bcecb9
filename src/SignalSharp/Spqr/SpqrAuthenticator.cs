using System.Diagnostics;
using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Spqr;

/// <summary>
/// The braid's authenticator (wire facts §6.5): a root key and a MAC key, both 32 bytes, updated with the
/// PQXDH-derived auth key for epoch 1 and with every epoch secret afterwards. It MACs the ML-KEM header
/// (send_ek side) and ct1 ‖ ct2 (send_ct side). Immutable: <see cref="Update"/> returns a new instance.
/// </summary>
internal sealed class SpqrAuthenticator
{
    /// <summary>Size of the root key, the MAC key and each MAC.</summary>
    internal const int KeySize = 32;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] root;
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] mac;

    private SpqrAuthenticator(byte[] root, byte[] mac)
    {
        this.root = root;
        this.mac = mac;
    }

    /// <summary>The root key (for wiping; never exposed beyond the SPQR layer).</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    internal byte[] RootArray => root;

    /// <summary>The MAC key (for wiping).</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    internal byte[] MacArray => mac;

    /// <summary>The authenticator for epoch 1: zero root and MAC key, then update(1, authKey).</summary>
    internal static SpqrAuthenticator Create(ReadOnlySpan<byte> authKey)
        => new SpqrAuthenticator(new byte[KeySize], new byte[KeySize]).Update(1, authKey);

    /// <summary>Restores a serialized authenticator (arrays are taken over, not copied).</summary>
    internal static SpqrAuthenticator FromKeys(byte[] root, byte[] mac)
    {
        if (root.Length != KeySize || mac.Length != KeySize)
        {
            throw new InvalidMessageException("SPQR authenticator keys must be 32 bytes");
        }

        return new SpqrAuthenticator(root, mac);
    }

    /// <summary>The root key (for serialization).</summary>
    internal ReadOnlySpan<byte> Root => root;

    /// <summary>The MAC key (for serialization).</summary>
    internal ReadOnlySpan<byte> MacKey => mac;

    /// <summary>Mixes <paramref name="key"/> in for epoch <paramref name="epoch"/>.</summary>
    internal SpqrAuthenticator Update(ulong epoch, ReadOnlySpan<byte> key)
    {
        Span<byte> ikm = stackalloc byte[KeySize + key.Length];
        root.CopyTo(ikm);
        key.CopyTo(ikm[KeySize..]);
        Span<byte> info = stackalloc byte[SpqrLabels.AuthenticatorUpdate.Length + 8];
        SpqrLabels.WithEpoch(SpqrLabels.AuthenticatorUpdate, epoch, info);
        Span<byte> output = stackalloc byte[2 * KeySize];
        SignalHkdf.DeriveKey(ikm, SpqrLabels.ZeroSalt, info, output);
        var updated = new SpqrAuthenticator(output[..KeySize].ToArray(), output[KeySize..].ToArray());
        CryptographicOperations.ZeroMemory(ikm);
        CryptographicOperations.ZeroMemory(output);
        return updated;
    }

    /// <summary>The 32-byte MAC of an ML-KEM header for <paramref name="epoch"/>.</summary>
    internal byte[] HeaderMac(ulong epoch, ReadOnlySpan<byte> header)
    {
        var data = new byte[SpqrLabels.HeaderMac.Length + 8 + header.Length];
        int offset = SpqrLabels.WithEpoch(SpqrLabels.HeaderMac, epoch, data);
        header.CopyTo(data.AsSpan(offset));
        return HmacSha256.Compute(mac, data);
    }

    /// <summary>The 32-byte MAC of ct1 ‖ ct2 for <paramref name="epoch"/>.</summary>
    internal byte[] CiphertextMac(ulong epoch, ReadOnlySpan<byte> ct1, ReadOnlySpan<byte> ct2)
    {
        var data = new byte[SpqrLabels.CiphertextMac.Length + 8 + ct1.Length + ct2.Length];
        int offset = SpqrLabels.WithEpoch(SpqrLabels.CiphertextMac, epoch, data);
        ct1.CopyTo(data.AsSpan(offset));
        ct2.CopyTo(data.AsSpan(offset + ct1.Length));
        return HmacSha256.Compute(mac, data);
    }

    /// <summary>Verifies a header MAC in constant time.</summary>
    internal bool VerifyHeaderMac(ulong epoch, ReadOnlySpan<byte> header, ReadOnlySpan<byte> receivedMac)
        => receivedMac.Length == KeySize && CryptographicOperations.FixedTimeEquals(HeaderMac(epoch, header), receivedMac);

    /// <summary>Verifies a ciphertext MAC in constant time.</summary>
    internal bool VerifyCiphertextMac(ulong epoch, ReadOnlySpan<byte> ct1, ReadOnlySpan<byte> ct2, ReadOnlySpan<byte> receivedMac)
        => receivedMac.Length == KeySize && CryptographicOperations.FixedTimeEquals(CiphertextMac(epoch, ct1, ct2), receivedMac);
}
