using System.Text;
using SignalSharp;
using SignalSharp.Crypto;

namespace SignalSharp.SealedSender;

/// <summary>
/// The server's short-lived statement "this identity key belongs to this account and device", carried inside
/// every sealed message so the recipient learns (and can check) who sent it. Wire form
/// <c>{1 certificate, 2 signature}</c>; the certificate holds e164 (1), device (2), expiry (3, fixed64 ms),
/// identity key (4), the signer (5 = embedded <see cref="ServerCertificate"/>, or 8 = id of a built-in one) and
/// the sender's ACI (6 = string, or 7 = 16 bytes). Immutable; signatures are checked over the received bytes.
/// </summary>
public sealed class SenderCertificate
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _serialized;
    private readonly byte[] _certificate;
    private readonly byte[] _signature;

    private SenderCertificate(byte[] serialized, byte[] certificate, byte[] signature, string senderUuid, string? senderE164, int senderDeviceId, ulong expiration, IdentityKey identityKey, ServerCertificate? signer, uint? signerId)
    {
        _serialized = serialized;
        _certificate = certificate;
        _signature = signature;
        SenderUuid = senderUuid;
        SenderE164 = senderE164;
        SenderDeviceId = senderDeviceId;
        Expiration = expiration;
        IdentityKey = identityKey;
        Signer = signer;
        SignerId = signerId;
    }

    /// <summary>The sender's ACI exactly as certified (a uuid string; not syntax-checked, case kept).</summary>
    public string SenderUuid { get; }

    /// <summary>The sender's phone number, when the certificate carries one.</summary>
    public string? SenderE164 { get; }

    /// <summary>The sender's device id (1..127).</summary>
    public int SenderDeviceId { get; }

    /// <summary>Expiry in milliseconds since 1970; the certificate is still valid at exactly this time.</summary>
    public ulong Expiration { get; }

    /// <summary>The sender's identity key.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The server certificate that signed this one; null when the certificate names an unknown built-in id.</summary>
    public ServerCertificate? Signer { get; }

    /// <summary>The built-in server certificate id the certificate refers to, or null when it embeds its signer.</summary>
    public uint? SignerId { get; }

    /// <summary>The sender as a protocol address (certified uuid, certified device).</summary>
    public ProtocolAddress SenderAddress => new(SenderUuid, SenderDeviceId);

    /// <summary>The signed inner certificate bytes (a copy).</summary>
    public byte[] Certificate => (byte[])_certificate.Clone();

    /// <summary>The server's 64-byte signature (a copy).</summary>
    public byte[] Signature => (byte[])_signature.Clone();

    internal ReadOnlySpan<byte> SerializedSpan => _serialized;

    /// <summary>Issues a sender certificate (the server does this for each account device), embedding <paramref name="signer"/>.</summary>
    /// <param name="senderUuid">The sender's ACI.</param>
    /// <param name="senderE164">The sender's phone number, or null.</param>
    /// <param name="senderDeviceId">The sender's device id, 1..127.</param>
    /// <param name="identityKey">The sender's identity key.</param>
    /// <param name="expiration">Expiry, ms since 1970.</param>
    /// <param name="signer">The server certificate of <paramref name="serverKey"/>.</param>
    /// <param name="serverKey">The server's private key.</param>
    /// <param name="random">Signature nonce randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The certificate.</returns>
    public static SenderCertificate Create(string senderUuid, string? senderE164, int senderDeviceId, IdentityKey identityKey, ulong expiration, ServerCertificate signer, EcPrivateKey serverKey, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(senderUuid);
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(serverKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(senderDeviceId, ProtocolAddress.MinDeviceId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(senderDeviceId, ProtocolAddress.MaxDeviceId);
        var inner = new ProtoWriter(256);
        if (senderE164 is not null)
        {
            inner.WriteBytes(1, Encoding.UTF8.GetBytes(senderE164));
        }

        inner.WriteVarint(2, (ulong)senderDeviceId);
        inner.WriteFixed64(3, expiration);
        inner.WriteBytes(4, identityKey.PublicKey.SerializedMemory.Span);
        inner.WriteBytes(5, signer.SerializedSpan);
        inner.WriteBytes(6, Encoding.UTF8.GetBytes(senderUuid));
        byte[] certificate = inner.ToArray();
        byte[] signature = serverKey.CalculateSignature(certificate, random);
        var outer = new ProtoWriter(certificate.Length + 72);
        outer.WriteBytes(1, certificate);
        outer.WriteBytes(2, signature);
        return new SenderCertificate(outer.ToArray(), certificate, signature, senderUuid, senderE164, senderDeviceId, expiration, identityKey, signer, null);
    }

    /// <summary>Parses a serialized sender certificate with libsignal's rules (see the type's summary).</summary>
    /// <param name="serialized">The protobuf bytes.</param>
    /// <returns>The certificate (not yet validated).</returns>
    /// <exception cref="InvalidCertificateException">Malformed.</exception>
    public static SenderCertificate Deserialize(ReadOnlySpan<byte> serialized)
    {
        try
        {
            return Parse(serialized);
        }
        catch (FormatException e)
        {
            throw new InvalidCertificateException("sender certificate does not parse: " + e.Message, e);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidCertificateException("sender certificate identity key does not parse: " + e.Message, e);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidCertificateException("sender certificate holds invalid UTF-8", e);
        }
    }

    private static SenderCertificate Parse(ReadOnlySpan<byte> serialized)
    {
        SignedCertificateEnvelope.Read(serialized, "sender", out var certificate, out var signature);

        var inner = new ProtoReader(certificate);
        string? e164 = null, uuid = null;
        ulong? device = null, expires = null;
        IdentityKey? identityKey = null;
        ServerCertificate? embedded = null;
        uint? signerId = null;
        bool hasSigner = false;
        while (inner.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                    e164 = StrictUtf8.GetString(inner.ReadBytes());
                    break;
                case 2:
                    ProtoReader.Expect(wireType, ProtoReader.Varint);
                    device = inner.ReadVarint();
                    break;
                case 3:
                    ProtoReader.Expect(wireType, ProtoReader.Fixed64);
                    expires = inner.ReadFixed64();
                    break;
                case 4:
                    ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                    identityKey = IdentityKey.Deserialize(inner.ReadBytes());
                    break;
                case 5:
                    // The signer oneof: the field that comes last on the wire wins.
                    ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                    embedded = ServerCertificate.Deserialize(inner.ReadBytes());
                    signerId = null;
                    hasSigner = true;
                    break;
                case 6:
                    ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                    uuid = StrictUtf8.GetString(inner.ReadBytes());
                    break;
                case 7:
                    ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                    var bytes = inner.ReadBytes();
                    if (bytes.Length != 16)
                    {
                        throw new InvalidCertificateException($"sender certificate uuid bytes have length {bytes.Length}");
                    }

                    uuid = new Guid(bytes, bigEndian: true).ToString("D");
                    break;
                case 8:
                    ProtoReader.Expect(wireType, ProtoReader.Varint);
                    signerId = (uint)inner.ReadVarint();
                    embedded = null;
                    hasSigner = true;
                    break;
                default:
                    inner.Skip(wireType);
                    break;
            }
        }

        if (uuid is null || device is null || expires is null || identityKey is null || !hasSigner)
        {
            throw new InvalidCertificateException("sender certificate lacks a required field");
        }

        if (device.Value is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
        {
            throw new InvalidCertificateException($"sender certificate device id {device.Value} is out of range");
        }

        var signer = embedded ?? KnownServerCertificates.Find(signerId!.Value);
        return new SenderCertificate(serialized.ToArray(), certificate.ToArray(), signature.ToArray(), uuid, e164, (int)device.Value, expires.Value, identityKey, signer, signerId);
    }

    /// <summary>The serialized certificate (a fresh array).</summary>
    /// <returns>The protobuf bytes.</returns>
    public byte[] Serialize() => (byte[])_serialized.Clone();

    /// <summary>Validates against one trust root; see <see cref="Validate(IEnumerable{EcPublicKey}, ulong)"/>.</summary>
    /// <param name="trustRoot">The trust root.</param>
    /// <param name="validationTime">Now, ms since 1970.</param>
    /// <returns>True when valid.</returns>
    public bool Validate(EcPublicKey trustRoot, ulong validationTime) => Validate([trustRoot], validationTime);

    /// <summary>
    /// True iff the signer is known, its key id is not <see cref="ServerCertificate.RevokedKeyId"/>, one of the
    /// trust roots signed it (every root is checked, whatever the earlier ones gave), its key signed this
    /// certificate, and <paramref name="validationTime"/> ≤ <see cref="Expiration"/>. Uuid, device and identity
    /// key are not looked at: the envelope binds the identity key.
    /// </summary>
    /// <param name="trustRoots">The acceptable trust roots (at least one).</param>
    /// <param name="validationTime">Now, ms since 1970.</param>
    /// <returns>True when valid.</returns>
    public bool Validate(IEnumerable<EcPublicKey> trustRoots, ulong validationTime)
    {
        ArgumentNullException.ThrowIfNull(trustRoots);
        return SignaturesValid(trustRoots) && validationTime <= Expiration;
    }

    /// <summary>Everything <see cref="Validate(IEnumerable{EcPublicKey}, ulong)"/> checks except the time: a pure function of the bytes and the roots.</summary>
    internal bool SignaturesValid(IEnumerable<EcPublicKey> trustRoots)
    {
        if (Signer is not { } signer)
        {
            return false;
        }

        bool anyRoot = false;
        foreach (var root in trustRoots)
        {
            anyRoot |= signer.IsSignedBy(root);
        }

        bool valid = anyRoot & signer.KeyId != ServerCertificate.RevokedKeyId;
        valid &= signer.Key.VerifySignature(_certificate, _signature);
        return valid;
    }
}
