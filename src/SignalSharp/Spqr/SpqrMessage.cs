using SignalSharp;

namespace SignalSharp.Spqr;

/// <summary>
/// An SPQR V1 message, the content of SignalMessage field 5:
/// 0x01 ‖ varint(epoch ≥ 1) ‖ varint(index, u32) ‖ type ‖ [varint(chunk number ≤ 65535) ‖ 32 bytes].
/// Bytes after the payload are allowed and ignored (room for extensions).
/// </summary>
internal sealed class SpqrMessage
{
    /// <summary>The protocol version byte this implementation speaks.</summary>
    internal const byte Version1 = 1;

    /// <summary>Creates a message; <paramref name="chunk"/> must be present exactly for chunk-carrying types.</summary>
    internal SpqrMessage(ulong epoch, uint index, SpqrMessageType type, SpqrChunk? chunk)
    {
        if (HasChunk(type) != (chunk is not null))
        {
            throw new ArgumentException("chunk presence does not match the message type", nameof(chunk));
        }

        Epoch = epoch;
        Index = index;
        Type = type;
        Chunk = chunk;
    }

    /// <summary>The sender's braid epoch (≥ 1); the key comes from chain epoch Epoch − 1.</summary>
    internal ulong Epoch { get; }

    /// <summary>The key index in the sender's chain (first key is 1).</summary>
    internal uint Index { get; }

    /// <summary>The payload type.</summary>
    internal SpqrMessageType Type { get; }

    /// <summary>The chunk for chunk-carrying types, otherwise null.</summary>
    internal SpqrChunk? Chunk { get; }

    /// <summary>True for the types that carry a chunk.</summary>
    internal static bool HasChunk(SpqrMessageType type) => type is not (SpqrMessageType.None or SpqrMessageType.Ct1Ack);

    /// <summary>Encodes the message.</summary>
    internal byte[] Serialize()
    {
        int length = 1 + Varint.Length(Epoch) + Varint.Length(Index) + 1;
        if (Chunk is not null)
        {
            length += Varint.Length(Chunk.Index) + SpqrChunk.DataSize;
        }

        var output = new byte[length];
        int offset = 0;
        output[offset++] = Version1;
        offset += Varint.Write(Epoch, output.AsSpan(offset));
        offset += Varint.Write(Index, output.AsSpan(offset));
        output[offset++] = (byte)Type;
        if (Chunk is not null)
        {
            offset += Varint.Write(Chunk.Index, output.AsSpan(offset));
            Chunk.Data.CopyTo(output.AsSpan(offset));
        }

        return output;
    }

    /// <summary>
    /// The version of an encoded message: 0 for an empty field (a peer without SPQR), otherwise the first byte.
    /// </summary>
    internal static byte ReadVersion(ReadOnlySpan<byte> encoded) => encoded.IsEmpty ? (byte)0 : encoded[0];

    /// <summary>Parses a version-1 message.</summary>
    /// <exception cref="InvalidMessageException">The bytes are not a well-formed V1 message.</exception>
    internal static SpqrMessage Parse(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty || encoded[0] != Version1)
        {
            throw new InvalidMessageException("SPQR message is not version 1");
        }

        int offset = 1;
        if (!Varint.TryRead(encoded, ref offset, out ulong epoch))
        {
            throw new InvalidMessageException("SPQR message epoch is truncated or malformed");
        }

        if (epoch == 0)
        {
            throw new InvalidMessageException("SPQR message epoch 0 is invalid");
        }

        if (!Varint.TryRead(encoded, ref offset, out ulong index) || index > uint.MaxValue)
        {
            throw new InvalidMessageException("SPQR message index is truncated or out of range");
        }

        if (offset >= encoded.Length)
        {
            throw new InvalidMessageException("SPQR message has no payload type");
        }

        byte typeByte = encoded[offset++];
        if (typeByte > (byte)SpqrMessageType.Ct2)
        {
            throw new InvalidMessageException($"SPQR message type {typeByte} is unknown");
        }

        var type = (SpqrMessageType)typeByte;
        SpqrChunk? chunk = null;
        if (HasChunk(type))
        {
            if (!Varint.TryRead(encoded, ref offset, out ulong chunkIndex) || chunkIndex > ushort.MaxValue)
            {
                throw new InvalidMessageException("SPQR chunk number is truncated or out of range");
            }

            if (encoded.Length - offset < SpqrChunk.DataSize)
            {
                throw new InvalidMessageException("SPQR chunk data is truncated");
            }

            chunk = new SpqrChunk((ushort)chunkIndex, encoded.Slice(offset, SpqrChunk.DataSize).ToArray());
        }

        return new SpqrMessage(epoch, (uint)index, type, chunk);
    }
}
