using System.Buffers;
using System.Buffers.Binary;
using SignalSharp;

namespace SignalSharp.SealedSender;

/// <summary>Writes protobuf fields in the order called (libsignal writes the sealed-sender structures in tag order).</summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ProtoWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public void WriteVarint(int field, ulong value)
    {
        WriteRawVarint(((ulong)field << 3) | ProtoReader.Varint);
        WriteRawVarint(value);
    }

    public void WriteFixed64(int field, ulong value)
    {
        WriteRawVarint(((ulong)field << 3) | ProtoReader.Fixed64);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteRawVarint(((ulong)field << 3) | ProtoReader.LengthDelimited);
        WriteRawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void WriteRawVarint(ulong value)
    {
        int n = Varint.Write(value, _buffer.GetSpan(Varint.MaxLength));
        _buffer.Advance(n);
    }
}
