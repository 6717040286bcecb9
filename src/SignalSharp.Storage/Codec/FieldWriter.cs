using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalSharp.Storage.Codec;

/// <summary>
/// Builds a length-prefixed binary payload (big-endian integers, u32-length-prefixed byte strings). Payloads
/// carry serialized key material, so every buffer it outgrows and its final buffer are wiped.
/// </summary>
internal sealed class FieldWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public FieldWriter(int capacity = 256)
    {
        _buffer = new byte[Math.Max(capacity, 16)];
    }

    /// <summary>The bytes written so far (valid until the next write or dispose).</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void U8(byte value) => Grow(1)[0] = value;

    public void U32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    public void I32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grow(4), value);

    public void Raw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        U32((uint)bytes.Length);
        Raw(bytes);
    }

    public void String(string value) => Bytes(Utf8.Strict.GetBytes(value));

    public byte[] ToArray() => Written.ToArray();

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _length = 0;
    }

    private Span<byte> Grow(int count)
    {
        int needed = checked(_length + count);
        if (needed > _buffer.Length)
        {
            var larger = new byte[Math.Max(needed, checked(_buffer.Length * 2))];
            _buffer.AsSpan(0, _length).CopyTo(larger);
            CryptographicOperations.ZeroMemory(_buffer);
            _buffer = larger;
        }

        var span = _buffer.AsSpan(_length, count);
        _length = needed;
        return span;
    }
}
