using SignalSharp;
using SignalSharp.Crypto;

namespace SignalSharp.SealedSender;

/// <summary>
/// The server's sealed-sender signing key, certified by a trust root the apps ship with:
/// <c>{1 certificate: {1 id, 2 key}, 2 signature}</c>, the signature an XEdDSA signature by the trust root over
/// the exact certificate bytes. Immutable; parsing keeps the received bytes so signatures are checked over them.
/// </summary>
public sealed class ServerCertificate
{
    /// <summary>The key id that is always revoked (libsignal's revoked test id): certificates under it never validate.</summary>
    public const uint RevokedKeyId = 0xDEADC357;

    private readonly byte[] _serialized;
    private readonly byte[] _certificate;
    private readonly byte[] _signature;

    private ServerCertificate(byte[] serialized, byte[] certificate, byte[] signature, uint keyId, EcPublicKey key)
    {
        _serialized = serialized;
        _certificate = certificate;
        _signature = signature;
        KeyId = keyId;
        Key = key;
    }

    /// <summary>The server key's id.</summary>
    public uint KeyId { get; }

    /// <summary>The server's public signing key.</summary>
    public EcPublicKey Key { get; }

    /// <summary>The signed inner certificate bytes (a copy).</summary>
    public byte[] Certificate => (byte[])_certificate.Clone();

    /// <summary>The trust root's 64-byte signature (a copy).</summary>
    public byte[] Signature => (byte[])_signature.Clone();

    internal ReadOnlySpan<byte> SerializedSpan => _serialized;

    /// <summary>Issues a server certificate (what the service operator does once per server key).</summary>
    /// <param name="trustRoot">The trust root's private key.</param>
    /// <param name="keyId">The server key's id.</param>
    /// <param name="serverKey">The server's public key.</param>
    /// <param name="random">Signature nonce randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The certificate.</returns>
    public static ServerCertificate Create(EcPrivateKey trustRoot, uint keyId, EcPublicKey serverKey, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(trustRoot);
        ArgumentNullException.ThrowIfNull(serverKey);
        var inner = new ProtoWriter(48);
        inner.WriteVarint(1, keyId);
        inner.WriteBytes(2, serverKey.SerializedMemory.Span);
        byte[] certificate = inner.ToArray();
        byte[] signature = trustRoot.CalculateSignature(certificate, random);
        var outer = new ProtoWriter(certificate.Length + 72);
        outer.WriteBytes(1, certificate);
        outer.WriteBytes(2, signature);
        return new ServerCertificate(outer.ToArray(), certificate, signature, keyId, serverKey);
    }

    /// <summary>Parses a serialized server certificate (both fields and both inner fields required).</summary>
    /// <param name="serialized">The protobuf bytes.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="InvalidCertificateException">Malformed.</exception>
    public static ServerCertificate Deserialize(ReadOnlySpan<byte> serialized)
    {
        try
        {
            SignedCertificateEnvelope.Read(serialized, "server", out var certificate, out var signature);

            var inner = new ProtoReader(certificate);
            uint? id = null;
            EcPublicKey? key = null;
            while (inner.TryReadTag(out int field, out int wireType))
            {
                switch (field)
                {
                    case 1:
                        ProtoReader.Expect(wireType, ProtoReader.Varint);
                        id = (uint)inner.ReadVarint();
                        break;
                    case 2:
                        ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                        key = EcPublicKey.Deserialize(inner.ReadBytes());
                        break;
                    default:
                        inner.Skip(wireType);
                        break;
                }
            }

            if (id is null || key is null)
            {
                throw new InvalidCertificateException("server certificate lacks its key id or key");
            }

            return new ServerCertificate(serialized.ToArray(), certificate.ToArray(), signature.ToArray(), id.Value, key);
        }
        catch (FormatException e)
        {
            throw new InvalidCertificateException("server certificate does not parse: " + e.Message, e);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidCertificateException("server certificate key does not parse: " + e.Message, e);
        }
    }

    /// <summary>The serialized certificate (a fresh array).</summary>
    /// <returns>The protobuf bytes.</returns>
    public byte[] Serialize() => (byte[])_serialized.Clone();

    /// <summary>True when <paramref name="trustRoot"/> signed this certificate (the revoked id is not checked here).</summary>
    /// <param name="trustRoot">A trust root public key.</param>
    /// <returns>Whether the signature verifies.</returns>
    public bool IsSignedBy(EcPublicKey trustRoot)
    {
        ArgumentNullException.ThrowIfNull(trustRoot);
        return trustRoot.VerifySignature(_certificate, _signature);
    }
}
