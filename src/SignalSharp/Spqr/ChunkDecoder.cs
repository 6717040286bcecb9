using System.Buffers.Binary;

namespace SignalSharp.Spqr;

/// <summary>
/// Collects erasure-code chunks (any order, losses allowed, repeats ignored) until n = length/32 distinct
/// chunk numbers are known, then reconstructs the payload by Lagrange interpolation (see
/// <see cref="ChunkEncoder"/>). Immutable and persistent: <see cref="Add"/> shares the chunks already held.
/// </summary>
internal sealed class ChunkDecoder
{
    private ChunkDecoder(int payloadLength, Node? chunks, int count)
    {
        PayloadLength = payloadLength;
        Chunks = chunks;
        Count = count;
    }

    /// <summary>An empty decoder for a payload of <paramref name="payloadLength"/> bytes.</summary>
    internal static ChunkDecoder Create(int payloadLength)
    {
        if (payloadLength <= 0 || payloadLength % SpqrChunk.DataSize != 0)
        {
            throw new ArgumentException("payload length must be a positive multiple of 32", nameof(payloadLength));
        }

        return new ChunkDecoder(payloadLength, null, 0);
    }

    /// <summary>Length of the payload being decoded.</summary>
    internal int PayloadLength { get; }

    /// <summary>Number of distinct chunks held.</summary>
    internal int Count { get; }

    /// <summary>Distinct chunks needed.</summary>
    internal int Needed => PayloadLength / SpqrChunk.DataSize;

    /// <summary>True once the payload can be decoded.</summary>
    internal bool IsComplete => Count >= Needed;

    /// <summary>The chunks held, newest first.</summary>
    internal Node? Chunks { get; }

    /// <summary>Adds a chunk; a repeated chunk number or a chunk after completion leaves the decoder as is.</summary>
    internal ChunkDecoder Add(SpqrChunk chunk)
    {
        if (IsComplete || Contains(chunk.Index))
        {
            return this;
        }

        return new ChunkDecoder(PayloadLength, new Node(chunk, Chunks), Count + 1);
    }

    /// <summary>Reconstructs the payload. Only valid when <see cref="IsComplete"/>.</summary>
    internal byte[] Decode()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException("not enough chunks to decode");
        }

        int n = Needed;
        var payload = new byte[PayloadLength];
        Span<ushort> nodes = stackalloc ushort[n];
        var values = new byte[n][];
        Span<bool> present = stackalloc bool[n];
        int k = 0;
        for (var node = Chunks; node is not null && k < n; node = node.Next)
        {
            nodes[k] = node.Chunk.Index;
            values[k] = node.Chunk.Data;
            if (node.Chunk.Index < n)
            {
                present[node.Chunk.Index] = true;
                node.Chunk.Data.CopyTo(payload.AsSpan(node.Chunk.Index * SpqrChunk.DataSize));
            }

            k++;
        }

        Span<ushort> weights = stackalloc ushort[n];
        for (int target = 0; target < n; target++)
        {
            if (present[target])
            {
                continue;
            }

            Gf16.LagrangeWeights(nodes, (ushort)target, weights);
            var destination = payload.AsSpan(target * SpqrChunk.DataSize, SpqrChunk.DataSize);
            for (int j = 0; j < 16; j++)
            {
                ushort sum = 0;
                for (int i = 0; i < n; i++)
                {
                    sum ^= Gf16.Multiply(weights[i], BinaryPrimitives.ReadUInt16BigEndian(values[i].AsSpan(2 * j)));
                }

                BinaryPrimitives.WriteUInt16BigEndian(destination[(2 * j)..], sum);
            }
        }

        return payload;
    }

    private bool Contains(ushort index)
    {
        for (var node = Chunks; node is not null; node = node.Next)
        {
            if (node.Chunk.Index == index)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A cell of the persistent chunk list.</summary>
    internal sealed class Node(SpqrChunk chunk, Node? next)
    {
        /// <summary>The chunk.</summary>
        internal SpqrChunk Chunk { get; } = chunk;

        /// <summary>The older chunks.</summary>
        internal Node? Next { get; } = next;
    }
}
