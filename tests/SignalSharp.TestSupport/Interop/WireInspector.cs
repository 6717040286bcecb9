namespace SignalSharp.TestSupport.Interop;

/// <summary>
/// Reads the outer structure of 1:1 ciphertexts (facts §3.4, §4.4, §6.3) so that tests can tamper with chosen
/// fields and observe SPQR progress independently of either implementation. Test-only, trusts its input.
/// </summary>
public static class WireInspector
{
    /// <summary>Length of the truncated MAC that ends a SignalMessage.</summary>
    public const int MacLength = 8;

    /// <summary>The top-level protobuf fields of a SignalMessage (offsets into the whole message).</summary>
    public static IReadOnlyList<WireField> SignalMessageFields(byte[] body) => ParseFields(body, 1, body.Length - MacLength);

    /// <summary>The top-level protobuf fields of a PreKeySignalMessage (offsets into the whole message).</summary>
    public static IReadOnlyList<WireField> PreKeyMessageFields(byte[] body) => ParseFields(body, 1, body.Length);

    /// <summary>The fields of the SignalMessage a ciphertext carries (itself, or the one inside a PreKeySignalMessage), offsets into <paramref name="message"/>'s body.</summary>
    public static IReadOnlyList<WireField> InnerSignalMessageFields(DriverCiphertext message)
    {
        if (message.Type == DriverCiphertext.Whisper)
        {
            return SignalMessageFields(message.Body);
        }

        var inner = PreKeyMessageFields(message.Body).Single(f => f.Number == 4);
        return ParseFields(message.Body, inner.Offset + 1, inner.Offset + inner.Length - MacLength)
            .ToList();
    }

    /// <summary>The SPQR epoch a message was sent in (field 5 = version byte, varint epoch, …).</summary>
    public static ulong SpqrEpoch(DriverCiphertext message)
    {
        var field = InnerSignalMessageFields(message).SingleOrDefault(f => f.Number == 5);
        if (field.Length == 0)
        {
            throw new InvalidOperationException("message carries no pq_ratchet field");
        }

        int pos = field.Offset + 1; // skip the SPQR version byte
        return ReadVarint(message.Body, ref pos);
    }

    /// <summary>The SPQR message type byte (0 None … 6 Ct2, facts §6.3).</summary>
    public static int SpqrMessageType(DriverCiphertext message)
    {
        var field = InnerSignalMessageFields(message).Single(f => f.Number == 5);
        int pos = field.Offset + 1;
        ReadVarint(message.Body, ref pos); // epoch
        ReadVarint(message.Body, ref pos); // index
        return message.Body[pos];
    }

    /// <summary>Parses the protobuf between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public static IReadOnlyList<WireField> ParseFields(byte[] data, int start, int end)
    {
        var fields = new List<WireField>();
        int pos = start;
        while (pos < end)
        {
            ulong tag = ReadVarint(data, ref pos);
            int number = (int)(tag >> 3);
            int wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    int varintStart = pos;
                    ulong value = ReadVarint(data, ref pos);
                    fields.Add(new WireField(number, wireType, varintStart, pos - varintStart, value));
                    break;
                case 2:
                    int length = (int)ReadVarint(data, ref pos);
                    fields.Add(new WireField(number, wireType, pos, length, 0));
                    pos += length;
                    break;
                default:
                    throw new InvalidOperationException($"unexpected wire type {wireType} at {pos}");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
    }
}

/// <summary>One protobuf field: number, wire type, where its value lies in the message, and a varint's value.</summary>
public readonly record struct WireField(int Number, int WireType, int Offset, int Length, ulong Varint);
