namespace SignalSharp;

/// <summary>Protobuf-style unsigned varints (7 bits per byte, least significant group first, at most 10 bytes).</summary>
internal static class Varint
{
    /// <summary>The longest encoding of a 64-bit value.</summary>
    internal const int MaxLength = 10;

    /// <summary>Number of bytes <see cref="Write"/> produces for <paramref name="value"/>.</summary>
    internal static int Length(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>Writes the minimal encoding of <paramref name="value"/>; returns the bytes written.</summary>
    internal static int Write(ulong value, Span<byte> destination)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a varint at <paramref name="offset"/> and advances it. Returns false when the input ends inside
    /// the varint, it is longer than 10 bytes, or its value does not fit in 64 bits.
    /// </summary>
    internal static bool TryRead(ReadOnlySpan<byte> source, ref int offset, out ulong value)
    {
        value = 0;
        for (int i = 0; i < MaxLength; i++)
        {
            if (offset + i >= source.Length)
            {
                return false;
            }

            byte b = source[offset + i];
            if (i == MaxLength - 1 && b > 1)
            {
                return false;
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                offset += i + 1;
                return true;
            }
        }

        return false;
    }
}
