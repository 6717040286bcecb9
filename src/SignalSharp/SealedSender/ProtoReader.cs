using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>
/// A strict reader of protobuf fields for the sealed-sender structures. Malformed input (truncation, a bad
/// varint, a group wire type) throws <see cref="FormatException"/>, which the public parsers turn into their
/// typed errors; unknown fields are skipped.
/// </summary>
internal ref struct ProtoReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
    }

    /// <summary>Offset of the value that the last <see cref="TryReadTag"/> introduced.</summary>
    public readonly int Offset => _offset;

    public bool TryReadTag(out int field, out int wireType)
    {
        if (_offset >= _data.Length)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        ulong tag = ReadVarint();
        field = (int)Math.Min(tag >> 3, int.MaxValue);
        wireType = (int)(tag & 7);
        if (field == 0)
        {
            throw new FormatException("field number 0");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        if (!SignalSharp.Varint.TryRead(_data, ref _offset, out ulong value))
        {
            throw new FormatException("truncated or overlong varint");
        }

        return value;
    }

    public ulong ReadFixed64()
    {
        if (_data.Length - _offset < 8)
        {
            throw new FormatException("truncated fixed64");
        }

        ulong value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data[_offset..]);
        _offset += 8;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _offset))
        {
            throw new FormatException("truncated length-delimited field");
        }

        var value = _data.Slice(_offset, (int)length);
        _offset += (int)length;
        return value;
    }

    /// <summary>Reads a value of the expected wire type; a different wire type for a known field is an error.</summary>
    public static void Expect(int wireType, int expected)
    {
        if (wireType != expected)
        {
            throw new FormatException($"wire type {wireType} where {expected} was expected");
        }
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                ReadFixed64();
                break;
            case LengthDelimited:
                ReadBytes();
                break;
            case Fixed32:
                if (_data.Length - _offset < 4)
                {
                    throw new FormatException("truncated fixed32");
                }

                _offset += 4;
                break;
            default:
                throw new FormatException($"unsupported wire type {wireType}");
        }
    }
}
