using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>
/// What a sealed envelope protects (USMC): the inner message and its type, the sender certificate, a content
/// hint and an optional group id. Wire form (fields written in this order): 1 type (PreKey = 1, Whisper = 2,
/// SenderKey = 7, Plaintext = 8), 2 sender certificate, 3 content, 4 content hint (only when not 0),
/// 5 group id (only when non-empty).
/// </summary>
public sealed class UnidentifiedSenderMessageContent
{
    private readonly byte[] _content;
    private readonly byte[]? _groupId;
    private byte[]? _serialized;

    /// <summary>Wraps an inner message (kept as given; it is not re-parsed).</summary>
    /// <param name="messageType">The inner message's type.</param>
    /// <param name="senderCertificate">The sender's certificate.</param>
    /// <param name="content">The serialized inner message.</param>
    /// <param name="contentHint">The content hint.</param>
    /// <param name="groupId">The group id, or null / empty for none.</param>
    public UnidentifiedSenderMessageContent(CiphertextMessageType messageType, SenderCertificate senderCertificate, ReadOnlySpan<byte> content, ContentHint contentHint = ContentHint.Default, ReadOnlySpan<byte> groupId = default)
    {
        ArgumentNullException.ThrowIfNull(senderCertificate);
        if (messageType is not (CiphertextMessageType.Whisper or CiphertextMessageType.PreKey or CiphertextMessageType.SenderKey or CiphertextMessageType.Plaintext))
        {
            throw new ArgumentOutOfRangeException(nameof(messageType), messageType, "not a message type sealed sender carries");
        }

        MessageType = messageType;
        SenderCertificate = senderCertificate;
        _content = content.ToArray();
        ContentHint = contentHint;
        _groupId = groupId.IsEmpty ? null : groupId.ToArray();
    }

    /// <summary>The inner message's type.</summary>
    public CiphertextMessageType MessageType { get; }

    /// <summary>The sender's certificate (not validated by parsing).</summary>
    public SenderCertificate SenderCertificate { get; }

    /// <summary>The serialized inner message (a copy).</summary>
    public byte[] Content => (byte[])_content.Clone();

    /// <summary>The content hint (<see cref="ContentHint.Default"/> when absent).</summary>
    public ContentHint ContentHint { get; }

    /// <summary>The group id (a copy), or null when absent.</summary>
    public byte[]? GroupId => (byte[]?)_groupId?.Clone();

    internal ReadOnlySpan<byte> ContentSpan => _content;

    /// <summary>The serialized USMC (a fresh array).</summary>
    /// <returns>The protobuf bytes.</returns>
    public byte[] Serialize() => (byte[])SerializedSpan.ToArray();

    internal ReadOnlySpan<byte> SerializedSpan => _serialized ??= Encode();

    /// <summary>Parses a USMC; a malformed USMC or certificate is an envelope error.</summary>
    /// <param name="serialized">The protobuf bytes.</param>
    /// <returns>The content.</returns>
    /// <exception cref="InvalidSealedSenderMessageException">Malformed (including its certificate).</exception>
    public static UnidentifiedSenderMessageContent Deserialize(ReadOnlySpan<byte> serialized)
    {
        try
        {
            var reader = new ProtoReader(serialized);
            ulong? type = null;
            ReadOnlySpan<byte> certificate = default, content = default, groupId = default;
            bool hasCertificate = false, hasContent = false;
            ulong hint = 0;
            while (reader.TryReadTag(out int field, out int wireType))
            {
                switch (field)
                {
                    case 1:
                        ProtoReader.Expect(wireType, ProtoReader.Varint);
                        type = reader.ReadVarint();
                        break;
                    case 2:
                        ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                        certificate = reader.ReadBytes();
                        hasCertificate = true;
                        break;
                    case 3:
                        ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                        content = reader.ReadBytes();
                        hasContent = true;
                        break;
                    case 4:
                        ProtoReader.Expect(wireType, ProtoReader.Varint);
                        hint = reader.ReadVarint();
                        break;
                    case 5:
                        ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                        groupId = reader.ReadBytes();
                        break;
                    default:
                        reader.Skip(wireType);
                        break;
                }
            }

            if (type is null || !hasCertificate || !hasContent)
            {
                throw new InvalidSealedSenderMessageException("sealed sender content lacks its type, certificate or content");
            }

            var messageType = type.Value switch
            {
                1 => CiphertextMessageType.PreKey,
                2 => CiphertextMessageType.Whisper,
                7 => CiphertextMessageType.SenderKey,
                8 => CiphertextMessageType.Plaintext,
                _ => throw new InvalidSealedSenderMessageException($"unknown sealed sender content type {type.Value}"),
            };
            var parsedCertificate = SenderCertificate.Deserialize(certificate);
            return new UnidentifiedSenderMessageContent(messageType, parsedCertificate, content, (ContentHint)(int)(uint)hint, groupId) { _serialized = serialized.ToArray() };
        }
        catch (FormatException e)
        {
            throw new InvalidSealedSenderMessageException("sealed sender content does not parse: " + e.Message, e);
        }
        catch (InvalidCertificateException e)
        {
            throw new InvalidSealedSenderMessageException("sealed sender content carries a malformed certificate: " + e.Message, e);
        }
    }

    private byte[] Encode()
    {
        var writer = new ProtoWriter(_content.Length + SenderCertificate.SerializedSpan.Length + 16);
        writer.WriteVarint(1, MessageType == CiphertextMessageType.PreKey ? 1UL : (ulong)MessageType);
        writer.WriteBytes(2, SenderCertificate.SerializedSpan);
        writer.WriteBytes(3, _content);
        if (ContentHint != ContentHint.Default)
        {
            writer.WriteVarint(4, (uint)(int)ContentHint);
        }

        if (_groupId is not null)
        {
            writer.WriteBytes(5, _groupId);
        }

        return writer.ToArray();
    }
}
