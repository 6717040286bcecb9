using System.Buffers.Binary;
using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.TestVectors;

/// <summary>
/// The deterministic randomness of one party in a vector: the byte stream SHA-256(seed ‖ BE64(0)) ‖
/// SHA-256(seed ‖ BE64(1)) ‖ …, consumed front to back by every Fill (a Fill that ends mid-block leaves the
/// rest of the block to the next Fill). Every draw is reported to the recorder, so the vector shows which
/// bytes each step took.
/// </summary>
internal sealed class SeededRandom : RandomSource
{
    private readonly byte[] _seed;
    private readonly string _party;
    private readonly VectorRecorder _recorder;
    private readonly byte[] _block = new byte[32];
    private ulong _blockIndex;
    private int _used = 32;
    private long _offset;

    public SeededRandom(string party, byte[] seed, VectorRecorder recorder)
    {
        _party = party;
        _seed = seed;
        _recorder = recorder;
    }

    public override void Fill(Span<byte> destination)
    {
        long start = _offset;
        for (int i = 0; i < destination.Length; i++)
        {
            if (_used == _block.Length)
            {
                NextBlock();
            }

            destination[i] = _block[_used++];
        }

        _offset += destination.Length;
        _recorder.RecordDraw(_party, start, destination);
    }

    private void NextBlock()
    {
        Span<byte> input = stackalloc byte[_seed.Length + 8];
        _seed.CopyTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input[_seed.Length..], _blockIndex++);
        SHA256.HashData(input, _block);
        _used = 0;
    }
}
