using Google.Protobuf;
using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A message that can start a session (CiphertextMessageType 3): version byte ‖ protobuf carrying the
/// initiator's identity and base key, the ids of the responder's pre-keys it used, the Kyber ciphertext and
/// the first <see cref="SignalMessage"/>. It has no MAC of its own; the inner message's MAC covers the keys
/// through the session they derive.
/// </summary>
public sealed class PreKeySignalMessage : CiphertextMessage
{
    private readonly byte[] _serialized;
    private readonly byte[]? _kyberCiphertext;

    private PreKeySignalMessage(
        byte[] serialized,
        int version,
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        uint? kyberPreKeyId,
        byte[]? kyberCiphertext,
        EcPublicKey baseKey,
        IdentityKey identityKey,
        SignalMessage message)
    {
        _serialized = serialized;
        MessageVersion = version;
        RegistrationId = registrationId;
        PreKeyId = preKeyId;
        SignedPreKeyId = signedPreKeyId;
        KyberPreKeyId = kyberPreKeyId;
        _kyberCiphertext = kyberCiphertext;
        BaseKey = baseKey;
        IdentityKey = identityKey;
        Message = message;
    }

    /// <inheritdoc />
    public override CiphertextMessageType Type => CiphertextMessageType.PreKey;

    /// <summary>The message version (4 = PQXDH; 3 = X3DH, parsed but refused).</summary>
    public int MessageVersion { get; }

    /// <summary>The sender's registration id (0 when absent).</summary>
    public uint RegistrationId { get; }

    /// <summary>The responder's one-time pre-key id, or null when none was used.</summary>
    public uint? PreKeyId { get; }

    /// <summary>The responder's signed pre-key id.</summary>
    public uint SignedPreKeyId { get; }

    /// <summary>The responder's Kyber pre-key id (always present for version 4).</summary>
    public uint? KyberPreKeyId { get; }

    /// <summary>The type-prefixed Kyber ciphertext (a copy), or null for version 3.</summary>
    public byte[]? KyberCiphertext => (byte[]?)_kyberCiphertext?.Clone();

    /// <summary>The initiator's ephemeral base key.</summary>
    public EcPublicKey BaseKey { get; }

    /// <summary>The initiator's identity key.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The enclosed first message.</summary>
    public SignalMessage Message { get; }

    internal ReadOnlySpan<byte> KyberCiphertextSpan => _kyberCiphertext;

    /// <inheritdoc />
    public override byte[] Serialize() => (byte[])_serialized.Clone();

    /// <summary>Parses a PreKeySignalMessage (and the SignalMessage inside it).</summary>
    /// <param name="data">The received bytes.</param>
    /// <returns>The parsed message.</returns>
    /// <exception cref="MessageTooLargeException">The bytes are longer than <see cref="CiphertextMessage.MaxSerializedLength"/>.</exception>
    /// <exception cref="InvalidMessageException">The bytes are not a well-formed PreKeySignalMessage.</exception>
    /// <exception cref="LegacyMessageException">The version is older than 3.</exception>
    /// <exception cref="InvalidVersionException">The version is newer than this library speaks.</exception>
    public static PreKeySignalMessage Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxSerializedLength)
        {
            throw new MessageTooLargeException(data.Length);
        }

        if (data.Length == 0)
        {
            throw new InvalidMessageException("PreKeySignalMessage is empty");
        }

        int version = SignalSharp.MessageVersion.Decode(data[0]);
        var proto = ProtoParsing.Parse(
            Wire.Protos.PreKeySignalMessage.Parser,
            data[1..],
            (m, e) => new InvalidMessageException("PreKeySignalMessage: " + m, e));
        if (!proto.HasBaseKey || !proto.HasIdentityKey || !proto.HasMessage || !proto.HasSignedPreKeyId)
        {
            throw new InvalidMessageException("PreKeySignalMessage lacks a required field");
        }

        if (proto.HasKyberPreKeyId != proto.HasKyberCiphertext)
        {
            throw new InvalidMessageException("PreKeySignalMessage has only one of the Kyber id and ciphertext");
        }

        if (version >= SignalSharp.MessageVersion.Current && !proto.HasKyberPreKeyId)
        {
            throw new InvalidMessageException("version 4 PreKeySignalMessage lacks the Kyber pre-key");
        }

        EcPublicKey baseKey;
        IdentityKey identityKey;
        try
        {
            baseKey = EcPublicKey.Deserialize(proto.BaseKey.Span);
            identityKey = IdentityKey.Deserialize(proto.IdentityKey.Span);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidMessageException("PreKeySignalMessage carries an invalid key", e);
        }

        var inner = SignalMessage.Deserialize(proto.Message.Span);
        return new PreKeySignalMessage(
            data.ToArray(),
            version,
            proto.RegistrationId,
            proto.HasPreKeyId ? proto.PreKeyId : null,
            proto.SignedPreKeyId,
            proto.HasKyberPreKeyId ? proto.KyberPreKeyId : null,
            proto.HasKyberCiphertext ? proto.KyberCiphertext.ToByteArray() : null,
            baseKey,
            identityKey,
            inner);
    }

    /// <summary>Wraps a first message with the pending pre-key information of an unacknowledged session.</summary>
    internal static PreKeySignalMessage Create(
        int version,
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        uint kyberPreKeyId,
        byte[] kyberCiphertext,
        EcPublicKey baseKey,
        IdentityKey identityKey,
        SignalMessage message)
    {
        var proto = new Wire.Protos.PreKeySignalMessage
        {
            BaseKey = ByteString.CopyFrom(baseKey.Serialize()),
            IdentityKey = ByteString.CopyFrom(identityKey.Serialize()),
            Message = ByteString.CopyFrom(message.SerializedSpan),
            RegistrationId = registrationId,
            SignedPreKeyId = signedPreKeyId,
            KyberPreKeyId = kyberPreKeyId,
            KyberCiphertext = ByteString.CopyFrom(kyberCiphertext),
        };
        if (preKeyId.HasValue)
        {
            proto.PreKeyId = preKeyId.Value;
        }

        var serialized = new byte[1 + proto.CalculateSize()];
        serialized[0] = SignalSharp.MessageVersion.Encode(version);
        proto.WriteTo(serialized.AsSpan(1));
        return new PreKeySignalMessage(serialized, version, registrationId, preKeyId, signedPreKeyId, kyberPreKeyId, kyberCiphertext, baseKey, identityKey, message);
    }
}
