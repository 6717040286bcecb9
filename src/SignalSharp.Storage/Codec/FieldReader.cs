using System.Buffers.Binary;
using System.Text;

namespace SignalSharp.Storage.Codec;

/// <summary>
/// Reads what <see cref="FieldWriter"/> wrote. Every malformed input (short, overlong length, bad UTF-8,
/// trailing bytes) raises the exception the caller's factory builds, never an index or decoder exception.
/// </summary>
internal ref struct FieldReader
{
    private readonly Func<string, Exception> _error;
    private ReadOnlySpan<byte> _rest;

    public FieldReader(ReadOnlySpan<byte> data, Func<string, Exception> error)
    {
        _rest = data;
        _error = error;
    }

    public readonly bool AtEnd => _rest.IsEmpty;

    public byte U8() => Take(1)[0];

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public int I32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public ReadOnlySpan<byte> Raw(int count) => Take(count);

    public ReadOnlySpan<byte> Bytes()
    {
        uint length = U32();
        if (length > (uint)_rest.Length)
        {
            throw _error($"a field claims {length} bytes but only {_rest.Length} remain");
        }

        return Take((int)length);
    }

    public string String()
    {
        var bytes = Bytes();
        try
        {
            return Utf8.Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw _error("a text field is not valid UTF-8");
        }
    }

    public readonly void EnsureEnd()
    {
        if (!_rest.IsEmpty)
        {
            throw _error($"{_rest.Length} unexpected trailing bytes");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _rest.Length)
        {
            throw _error("the data ends early");
        }

        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
