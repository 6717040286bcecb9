using System.Buffers.Binary;

namespace SignalSharp.Spqr;

/// <summary>
/// Systematic erasure encoder over GF(2^16). The payload is read as big-endian 16-bit elements; element i
/// is the value of polynomial (i mod 16) at x = i div 16, so with n = length/32 every one of the 16
/// polynomials is fixed by n points. Chunk c carries the 16 polynomials evaluated at x = c: the payload
/// slice itself for c &lt; n and interpolated parity beyond. Any n distinct chunks recover the payload.
/// Immutable: <see cref="Next"/> returns the encoder that emits the following chunk.
/// </summary>
internal sealed class ChunkEncoder
{
    private readonly byte[] payload;

    /// <summary>Starts encoding <paramref name="payload"/> (not copied; must not be modified afterwards).</summary>
    internal ChunkEncoder(byte[] payload, ushort nextIndex = 0)
    {
        if (payload.Length == 0 || payload.Length % SpqrChunk.DataSize != 0)
        {
            throw new ArgumentException("payload length must be a positive multiple of 32", nameof(payload));
        }

        this.payload = payload;
        NextIndex = nextIndex;
    }

    /// <summary>The encoded payload.</summary>
    internal ReadOnlySpan<byte> Payload => payload;

    /// <summary>The payload array (shared, read-only by convention).</summary>
    internal byte[] PayloadArray => payload;

    /// <summary>The number of the chunk <see cref="Next"/> emits.</summary>
    internal ushort NextIndex { get; }

    /// <summary>Emits the next chunk and returns the advanced encoder (chunk numbers wrap at 2^16).</summary>
    internal ChunkEncoder Next(out SpqrChunk chunk)
    {
        var data = new byte[SpqrChunk.DataSize];
        ComputeChunk(payload, NextIndex, data);
        chunk = new SpqrChunk(NextIndex, data);
        return new ChunkEncoder(payload, unchecked((ushort)(NextIndex + 1)));
    }

    /// <summary>Computes chunk number <paramref name="index"/> of <paramref name="payload"/> into 32 bytes.</summary>
    internal static void ComputeChunk(ReadOnlySpan<byte> payload, ushort index, Span<byte> destination)
    {
        int n = payload.Length / SpqrChunk.DataSize;
        if (index < n)
        {
            payload.Slice(index * SpqrChunk.DataSize, SpqrChunk.DataSize).CopyTo(destination);
            return;
        }

        Span<ushort> nodes = stackalloc ushort[n];
        for (int i = 0; i < n; i++)
        {
            nodes[i] = (ushort)i;
        }

        Span<ushort> weights = stackalloc ushort[n];
        Gf16.LagrangeWeights(nodes, index, weights);
        for (int j = 0; j < 16; j++)
        {
            ushort sum = 0;
            for (int i = 0; i < n; i++)
            {
                ushort y = BinaryPrimitives.ReadUInt16BigEndian(payload[(((16 * i) + j) * 2)..]);
                sum ^= Gf16.Multiply(weights[i], y);
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[(2 * j)..], sum);
        }
    }
}
