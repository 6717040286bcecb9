namespace SignalSharp.Spqr;

/// <summary>One 32-byte erasure-code chunk and its number (the x coordinate at which it was evaluated).</summary>
internal sealed class SpqrChunk
{
    /// <summary>Bytes of data in every chunk.</summary>
    internal const int DataSize = 32;

    /// <summary>Creates a chunk; <paramref name="data"/> must be exactly 32 bytes and is not copied.</summary>
    internal SpqrChunk(ushort index, byte[] data)
    {
        if (data.Length != DataSize)
        {
            throw new ArgumentException("chunk data must be 32 bytes", nameof(data));
        }

        Index = index;
        Data = data;
    }

    /// <summary>The chunk number.</summary>
    internal ushort Index { get; }

    /// <summary>The 32 data bytes (16 big-endian field elements, one per polynomial).</summary>
    internal byte[] Data { get; }
}
