using Google.Protobuf;
using SignalSharp.Curves;
using SignalSharp.Sessions.Protos;

namespace SignalSharp;

/// <summary>
/// What a server hands out for one device so that others can start a session with it: identity key,
/// signed EC pre-key, signed Kyber pre-key and optionally a one-time EC pre-key. Every bundle that exists has
/// passed its checks: both signatures verify under its identity key and its device id is valid.
/// </summary>
/// <remarks>
/// <para>Three ways to get one:</para>
/// <list type="bullet">
/// <item><see cref="FromRecords"/> on the device that owns the keys, from its own records, to publish.</item>
/// <item><see cref="Deserialize"/> on a device that received a bundle written by <see cref="Serialize"/> (the
/// documented upload format).</item>
/// <item><see cref="Create"/> on a device that received the parts separately (for example as the JSON fields of a
/// server's response).</item>
/// </list>
/// </remarks>
public sealed class PreKeyBundle
{
    /// <summary>The version of the serialized form that <see cref="Serialize"/> writes.</summary>
    public const int SerializedVersion = 1;

    private readonly byte[] _signedPreKeySignature;
    private readonly byte[] _kyberPreKeySignature;

    private PreKeyBundle(
        uint registrationId,
        int deviceId,
        IdentityKey identityKey,
        uint? preKeyId,
        EcPublicKey? preKey,
        uint signedPreKeyId,
        EcPublicKey signedPreKey,
        byte[] signedPreKeySignature,
        uint kyberPreKeyId,
        KemPublicKey kyberPreKey,
        byte[] kyberPreKeySignature)
    {
        RegistrationId = registrationId;
        DeviceId = deviceId;
        IdentityKey = identityKey;
        PreKeyId = preKeyId;
        PreKey = preKey;
        SignedPreKeyId = signedPreKeyId;
        SignedPreKey = signedPreKey;
        _signedPreKeySignature = signedPreKeySignature;
        KyberPreKeyId = kyberPreKeyId;
        KyberPreKey = kyberPreKey;
        _kyberPreKeySignature = kyberPreKeySignature;
    }

    /// <summary>The device's registration id.</summary>
    public uint RegistrationId { get; }

    /// <summary>The device id (1..127); a session is only built from it for an address with this device id.</summary>
    public int DeviceId { get; }

    /// <summary>The one-time pre-key id, or null.</summary>
    public uint? PreKeyId { get; }

    /// <summary>The one-time pre-key, or null.</summary>
    public EcPublicKey? PreKey { get; }

    /// <summary>The signed pre-key id.</summary>
    public uint SignedPreKeyId { get; }

    /// <summary>The signed pre-key.</summary>
    public EcPublicKey SignedPreKey { get; }

    /// <summary>The signature over the signed pre-key (a copy).</summary>
    public byte[] SignedPreKeySignature => (byte[])_signedPreKeySignature.Clone();

    /// <summary>The device's identity key.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The Kyber pre-key id.</summary>
    public uint KyberPreKeyId { get; }

    /// <summary>The Kyber pre-key.</summary>
    public KemPublicKey KyberPreKey { get; }

    /// <summary>The signature over the Kyber pre-key (a copy).</summary>
    public byte[] KyberPreKeySignature => (byte[])_kyberPreKeySignature.Clone();

    /// <summary>
    /// The bundle a device publishes for itself, taken from its own records: ids, public keys and signatures come
    /// from the records, so they cannot be mismatched.
    /// </summary>
    /// <param name="identityKey">The device's public identity key (<see cref="IdentityKeyPair.IdentityKey"/>).</param>
    /// <param name="registrationId">The device's registration id.</param>
    /// <param name="deviceId">The device id, 1..127.</param>
    /// <param name="signedPreKey">The current signed pre-key.</param>
    /// <param name="kyberPreKey">A Kyber pre-key (one-time or last-resort).</param>
    /// <param name="preKey">A one-time pre-key, or null for a bundle without one.</param>
    /// <returns>The bundle (it holds only public parts; the records stay with the caller).</returns>
    /// <exception cref="ArgumentException">A record's signature was not made by <paramref name="identityKey"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deviceId"/> is outside 1..127.</exception>
    public static PreKeyBundle FromRecords(
        IdentityKey identityKey,
        uint registrationId,
        int deviceId,
        SignedPreKeyRecord signedPreKey,
        KyberPreKeyRecord kyberPreKey,
        PreKeyRecord? preKey = null)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(signedPreKey);
        ArgumentNullException.ThrowIfNull(kyberPreKey);
        CheckDeviceId(deviceId);
        var bundle = new PreKeyBundle(
            registrationId,
            deviceId,
            identityKey,
            preKey?.Id,
            preKey?.PublicKey,
            signedPreKey.Id,
            signedPreKey.PublicKey,
            signedPreKey.Signature,
            kyberPreKey.Id,
            kyberPreKey.PublicKey,
            kyberPreKey.Signature);
        if (bundle.FirstBadSignature() is { } bad)
        {
            throw new ArgumentException($"the {bad} record was not signed by this identity key", bad == "signed pre-key" ? nameof(signedPreKey) : nameof(kyberPreKey));
        }

        return bundle;
    }

    /// <summary>
    /// A bundle from parts received separately from a server. The parts are untrusted: both signatures are checked
    /// here, before any session can be built from them.
    /// </summary>
    /// <param name="registrationId">The device's registration id.</param>
    /// <param name="deviceId">The device id, 1..127.</param>
    /// <param name="identityKey">The device's identity key.</param>
    /// <param name="signedPreKeyId">The signed pre-key id.</param>
    /// <param name="signedPreKey">The signed pre-key.</param>
    /// <param name="signedPreKeySignature">The identity key's signature over the serialized signed pre-key.</param>
    /// <param name="kyberPreKeyId">The Kyber pre-key id.</param>
    /// <param name="kyberPreKey">The Kyber pre-key.</param>
    /// <param name="kyberPreKeySignature">The identity key's signature over the serialized Kyber pre-key.</param>
    /// <param name="preKeyId">The one-time pre-key id, or null when the bundle has none.</param>
    /// <param name="preKey">The one-time pre-key, or null; present exactly when <paramref name="preKeyId"/> is.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="InvalidSignatureException">A signature does not verify (or is not 64 bytes).</exception>
    /// <exception cref="ArgumentException">Only one of <paramref name="preKeyId"/> and <paramref name="preKey"/> is given.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deviceId"/> is outside 1..127.</exception>
    public static PreKeyBundle Create(
        uint registrationId,
        int deviceId,
        IdentityKey identityKey,
        uint signedPreKeyId,
        EcPublicKey signedPreKey,
        ReadOnlySpan<byte> signedPreKeySignature,
        uint kyberPreKeyId,
        KemPublicKey kyberPreKey,
        ReadOnlySpan<byte> kyberPreKeySignature,
        uint? preKeyId = null,
        EcPublicKey? preKey = null)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(signedPreKey);
        ArgumentNullException.ThrowIfNull(kyberPreKey);
        CheckDeviceId(deviceId);
        if (preKeyId.HasValue != (preKey is not null))
        {
            throw new ArgumentException("a one-time pre-key needs both its id and its key", preKey is null ? nameof(preKey) : nameof(preKeyId));
        }

        var bundle = new PreKeyBundle(
            registrationId,
            deviceId,
            identityKey,
            preKeyId,
            preKey,
            signedPreKeyId,
            signedPreKey,
            signedPreKeySignature.ToArray(),
            kyberPreKeyId,
            kyberPreKey,
            kyberPreKeySignature.ToArray());
        bundle.ThrowIfBadSignature();
        return bundle;
    }

    /// <summary>
    /// The documented serialized form, for an app to upload to its server: a protobuf <c>PreKeyBundleStructure</c>
    /// (field numbers in docs/sessions.md, "The serialized bundle"). It holds only public keys and signatures.
    /// </summary>
    /// <returns>The bytes (a fresh array).</returns>
    public byte[] Serialize()
    {
        var proto = new PreKeyBundleStructure
        {
            Version = SerializedVersion,
            RegistrationId = RegistrationId,
            DeviceId = (uint)DeviceId,
            IdentityKey = ByteString.CopyFrom(IdentityKey.Serialize()),
            SignedPreKeyId = SignedPreKeyId,
            SignedPreKey = ByteString.CopyFrom(SignedPreKey.Serialize()),
            SignedPreKeySignature = ByteString.CopyFrom(_signedPreKeySignature),
            KyberPreKeyId = KyberPreKeyId,
            KyberPreKey = ByteString.CopyFrom(KyberPreKey.Serialized),
            KyberPreKeySignature = ByteString.CopyFrom(_kyberPreKeySignature),
        };
        if (PreKeyId is { } preKeyId)
        {
            proto.PreKeyId = preKeyId;
            proto.PreKey = ByteString.CopyFrom(PreKey!.Serialize());
        }

        return proto.ToByteArray();
    }

    /// <summary>Parses a bundle written by <see cref="Serialize"/> (untrusted bytes, e.g. from a server) and checks its signatures.</summary>
    /// <param name="data">The serialized bundle.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="InvalidMessageException">
    /// The bytes are not a well-formed bundle: not protobuf, unknown or repeated fields, a missing or malformed key,
    /// a signature that is not 64 bytes, a device id outside 1..127, or only one of the one-time pre-key's id and key.
    /// </exception>
    /// <exception cref="InvalidVersionException">A well-formed bundle of another version than <see cref="SerializedVersion"/>.</exception>
    /// <exception cref="InvalidSignatureException">A signature does not verify under the bundle's identity key.</exception>
    public static PreKeyBundle Deserialize(ReadOnlySpan<byte> data)
    {
        PreKeyBundleStructure proto;
        try
        {
            proto = StrictParser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidMessageException("pre-key bundle: malformed protobuf: " + e.Message, e);
        }

        if (proto.IdentityKey.IsEmpty || proto.SignedPreKey.IsEmpty || proto.KyberPreKey.IsEmpty)
        {
            throw new InvalidMessageException("pre-key bundle lacks a required key");
        }

        if (proto.Version != SerializedVersion)
        {
            throw new InvalidVersionException((int)Math.Min(proto.Version, int.MaxValue), $"pre-key bundle version {proto.Version} is not {SerializedVersion}");
        }

        // Unknown fields were discarded and a repeated field kept its last value, so the re-encoded size differs
        // from the input exactly when the input held something this version does not define.
        if (proto.CalculateSize() != data.Length)
        {
            throw new InvalidMessageException("pre-key bundle: unknown, repeated or non-canonical fields");
        }

        if (proto.SignedPreKeySignature.Length != XEdDsa.SignatureLength || proto.KyberPreKeySignature.Length != XEdDsa.SignatureLength)
        {
            throw new InvalidMessageException($"pre-key bundle: a signature is not {XEdDsa.SignatureLength} bytes");
        }

        if (proto.DeviceId is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
        {
            throw new InvalidMessageException($"pre-key bundle: device id {proto.DeviceId} is outside {ProtocolAddress.MinDeviceId}..{ProtocolAddress.MaxDeviceId}");
        }

        if (proto.HasPreKeyId == proto.PreKey.IsEmpty)
        {
            throw new InvalidMessageException("pre-key bundle has only one of the one-time pre-key's id and key");
        }

        IdentityKey identityKey;
        EcPublicKey signedPreKey;
        EcPublicKey? preKey;
        KemPublicKey kyberPreKey;
        try
        {
            identityKey = IdentityKey.Deserialize(proto.IdentityKey.Span);
            signedPreKey = EcPublicKey.Deserialize(proto.SignedPreKey.Span);
            preKey = proto.HasPreKeyId ? EcPublicKey.Deserialize(proto.PreKey.Span) : null;
            kyberPreKey = KemPublicKey.Deserialize(proto.KyberPreKey.Span);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidMessageException("pre-key bundle carries an invalid key", e);
        }

        var bundle = new PreKeyBundle(
            proto.RegistrationId,
            (int)proto.DeviceId,
            identityKey,
            proto.HasPreKeyId ? proto.PreKeyId : null,
            preKey,
            proto.SignedPreKeyId,
            signedPreKey,
            proto.SignedPreKeySignature.ToByteArray(),
            proto.KyberPreKeyId,
            kyberPreKey,
            proto.KyberPreKeySignature.ToByteArray());
        bundle.ThrowIfBadSignature();
        return bundle;
    }

    private static readonly MessageParser<PreKeyBundleStructure> StrictParser = PreKeyBundleStructure.Parser.WithDiscardUnknownFields(true);

    private static void CheckDeviceId(int deviceId)
    {
        if (deviceId is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceId), deviceId, $"device id must be {ProtocolAddress.MinDeviceId}..{ProtocolAddress.MaxDeviceId}");
        }
    }

    private void ThrowIfBadSignature()
    {
        if (FirstBadSignature() is { } bad)
        {
            throw new InvalidSignatureException($"invalid signature detected on the {bad}");
        }
    }

    /// <summary>Which signature does not verify under the identity key ("signed pre-key", "Kyber pre-key"), or null.</summary>
    private string? FirstBadSignature()
    {
        if (!IdentityKey.VerifySignature(SignedPreKey.Serialize(), _signedPreKeySignature))
        {
            return "signed pre-key";
        }

        if (!IdentityKey.VerifySignature(KyberPreKey.Serialized, _kyberPreKeySignature))
        {
            return "Kyber pre-key";
        }

        return null;
    }
}
