using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>
/// The server's view of a sealed sender v2 SentMessage: who gets it and what each recipient device is
/// delivered. A relay parses the upload with <see cref="Parse"/>, checks each recipient's devices and
/// registration ids against the account (rejecting mismatches), and delivers
/// <see cref="MessageFor"/>(recipient) to every listed device of that user. The parser learns nothing about
/// the sender or the content: it only sees ServiceIds, device ids, registration ids and opaque bytes.
/// <para>
/// Layout: <c>0x23 ‖ varint count ‖ entry × count ‖ E (32) ‖ ciphertext</c>; an entry is ServiceId (kind byte
/// 0 ACI / 1 PNI ‖ 16 UUID bytes; legacy 0x22 messages have 16 ACI bytes) followed by either devices
/// (<c>id (1..127) ‖ BE16(hasMore &lt;&lt; 15 | registration id)</c>, then C (32) ‖ AT (16)) or a single 0x00
/// (an excluded recipient). Anything else fails the whole message.
/// </para>
/// </summary>
public sealed class SealedSenderMultiRecipientMessage
{
    private readonly byte[] _message;
    private readonly int _sharedOffset;

    private SealedSenderMultiRecipientMessage(byte[] message, List<SealedSenderRecipient> recipients, List<string> excluded, int sharedOffset)
    {
        _message = message;
        Recipients = recipients;
        ExcludedRecipients = excluded;
        _sharedOffset = sharedOffset;
    }

    /// <summary>The recipient users in order of first appearance; a ServiceId listed twice is merged.</summary>
    public IReadOnlyList<SealedSenderRecipient> Recipients { get; }

    /// <summary>ServiceIds the sender explicitly excluded (no devices; nothing to deliver).</summary>
    public IReadOnlyList<string> ExcludedRecipients { get; }

    /// <summary>Parses a SentMessage strictly.</summary>
    /// <param name="sentMessage">The uploaded bytes (0x23, or the legacy 0x22 form).</param>
    /// <returns>The parsed message.</returns>
    /// <exception cref="InvalidSealedSenderMessageException">
    /// Empty, an unknown version, truncated anywhere (including a count larger than the data), a device id 0
    /// (other than as an entry's exclusion marker) or above 127, a ServiceId kind other than ACI/PNI, fewer than
    /// 32 bytes left for E ‖ ciphertext, or a ServiceId that is both excluded and listed with devices.
    /// </exception>
    public static SealedSenderMultiRecipientMessage Parse(ReadOnlySpan<byte> sentMessage)
    {
        if (sentMessage.IsEmpty)
        {
            throw new InvalidSealedSenderMessageException("Message was empty");
        }

        byte version = sentMessage[0];
        if (version is not (SealedSenderV2.ReceivedVersion or SealedSenderV2.SentVersion))
        {
            throw new InvalidSealedSenderMessageException($"unknown sealed sender message version {version >> 4} (byte 0x{version:x2})");
        }

        bool legacy = version == SealedSenderV2.ReceivedVersion;
        int offset = 1;
        if (!Varint.TryRead(sentMessage, ref offset, out ulong count))
        {
            throw Truncated();
        }

        byte[] copy = sentMessage.ToArray();
        var recipients = new List<SealedSenderRecipient>();
        var byId = new Dictionary<string, SealedSenderRecipient>(StringComparer.Ordinal);
        var excluded = new List<string>();
        var excludedSet = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < count; i++)
        {
            string serviceId = ReadServiceId(sentMessage, ref offset, legacy);
            if (offset >= sentMessage.Length)
            {
                throw Truncated();
            }

            if (sentMessage[offset] == 0)
            {
                offset++;
                if (byId.ContainsKey(serviceId))
                {
                    throw Redundant(serviceId);
                }

                if (excludedSet.Add(serviceId))
                {
                    excluded.Add(serviceId);
                }

                continue;
            }

            if (excludedSet.Contains(serviceId))
            {
                throw Redundant(serviceId);
            }

            var devices = new List<(int Device, int RegistrationId)>();
            bool more = true;
            while (more)
            {
                if (sentMessage.Length - offset < 3)
                {
                    throw Truncated();
                }

                int device = sentMessage[offset];
                if (device is 0 or > ProtocolAddress.MaxDeviceId)
                {
                    throw new InvalidSealedSenderMessageException($"invalid device id {device} in sealed sender v2 message");
                }

                int word = (sentMessage[offset + 1] << 8) | sentMessage[offset + 2];
                devices.Add((device, word & 0x3FFF));
                more = (word & 0x8000) != 0;
                offset += 3;
            }

            if (sentMessage.Length - offset < SealedSenderV2.CSize + SealedSenderV2.AtSize)
            {
                throw Truncated();
            }

            if (!byId.TryGetValue(serviceId, out var recipient))
            {
                recipient = new SealedSenderRecipient(serviceId, offset, copy);
                byId.Add(serviceId, recipient);
                recipients.Add(recipient);
            }

            foreach (var (device, registrationId) in devices)
            {
                recipient.DeviceList.Add(device);
                recipient.RegistrationList.Add(registrationId);
            }

            offset += SealedSenderV2.CSize + SealedSenderV2.AtSize;
        }

        if (sentMessage.Length - offset < 32)
        {
            throw new InvalidSealedSenderMessageException("sealed sender v2 message lacks its ephemeral key");
        }

        return new SealedSenderMultiRecipientMessage(copy, recipients, excluded, offset);
    }

    /// <summary>
    /// The ReceivedMessage every device of <paramref name="recipient"/> is delivered:
    /// <c>0x22 ‖ C ‖ AT ‖ E ‖ ciphertext</c> (a fresh array).
    /// </summary>
    /// <param name="recipient">One of <see cref="Recipients"/>.</param>
    /// <returns>The bytes to deliver.</returns>
    public byte[] MessageFor(SealedSenderRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (!ReferenceEquals(recipient.Message, _message))
        {
            throw new ArgumentException("not a recipient of this message", nameof(recipient));
        }

        const int perRecipient = SealedSenderV2.CSize + SealedSenderV2.AtSize;
        var output = new byte[1 + perRecipient + (_message.Length - _sharedOffset)];
        output[0] = SealedSenderV2.ReceivedVersion;
        _message.AsSpan(recipient.COffset, perRecipient).CopyTo(output.AsSpan(1));
        _message.AsSpan(_sharedOffset).CopyTo(output.AsSpan(1 + perRecipient));
        return output;
    }

    private static string ReadServiceId(ReadOnlySpan<byte> message, ref int offset, bool legacy)
    {
        int size = legacy ? 16 : SealedSenderV2.ServiceIdSize;
        if (message.Length - offset < size)
        {
            throw Truncated();
        }

        bool pni = false;
        if (!legacy)
        {
            byte kind = message[offset];
            if (kind > 1)
            {
                throw new InvalidSealedSenderMessageException($"unknown ServiceId kind {kind} in sealed sender v2 message");
            }

            pni = kind == 1;
            offset++;
        }

        string uuid = new Guid(message.Slice(offset, 16), bigEndian: true).ToString("D");
        offset += 16;
        return pni ? "PNI:" + uuid : uuid;
    }

    private static InvalidSealedSenderMessageException Truncated() => new("sealed sender v2 message is truncated");

    private static InvalidSealedSenderMessageException Redundant(string serviceId) => new($"recipient {serviceId} redundantly encoded as empty");
}
