using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace SignalSharp.Lattice;

/// <summary>
/// Four-way forms of the samplers: four SHAKE instances with equally long inputs run in the lanes of
/// <see cref="KeccakPermutationX4"/>. Outputs are identical to four calls of the <see cref="Sampling"/> routines.
/// </summary>
internal static class SamplingX4
{
    private const int Shake128Lanes = KeccakSponge.Shake128Rate / 8;
    private const int Shake256Lanes = KeccakSponge.Shake256Rate / 8;
    private const int InitialBlocks = 3;

    /// <summary>
    /// SampleNTT(ρ ‖ x_t ‖ y_t) for t = 0..3 into polys[t·256 ..]: <paramref name="indices"/> holds x0, y0, x1, y1, ….
    /// </summary>
    [SkipLocalsInit]
    public static void SampleNtt(ReadOnlySpan<byte> rho, ReadOnlySpan<byte> indices, Span<short> polys)
    {
        var state = default(LanesX4);
        Span<Vector256<ulong>> lanes = state;
        for (int w = 0; w < 4; w++)
        {
            lanes[w] = Vector256.Create(BinaryPrimitives.ReadUInt64LittleEndian(rho.Slice(8 * w, 8)));
        }

        // Bytes 32, 33 = the two indices, byte 34 = SHAKE padding 0x1F; last rate byte gets 0x80.
        lanes[4] = Vector256.Create(
            indices[0] | ((ulong)indices[1] << 8) | (0x1FUL << 16),
            indices[2] | ((ulong)indices[3] << 8) | (0x1FUL << 16),
            indices[4] | ((ulong)indices[5] << 8) | (0x1FUL << 16),
            indices[6] | ((ulong)indices[7] << 8) | (0x1FUL << 16));
        lanes[Shake128Lanes - 1] = Vector256.Create(0x80UL << 56);

        const int bufferBytes = InitialBlocks * KeccakSponge.Shake128Rate;
        Span<byte> buffers = stackalloc byte[4 * bufferBytes];
        for (int block = 0; block < InitialBlocks; block++)
        {
            KeccakPermutationX4.Permute(ref lanes[0]);
            Extract(lanes, Shake128Lanes, buffers, bufferBytes, block * KeccakSponge.Shake128Rate);
        }

        Span<int> counts = stackalloc int[4];
        bool done = true;
        for (int t = 0; t < 4; t++)
        {
            counts[t] = Sampling.RejectionSample(buffers.Slice(t * bufferBytes, bufferBytes), polys.Slice(t * Ntt.N, Ntt.N));
            done &= counts[t] == Ntt.N;
        }

        // Rare: more output needed for some instance; squeeze further blocks for all four (ρ is public).
        while (!done)
        {
            KeccakPermutationX4.Permute(ref lanes[0]);
            Extract(lanes, Shake128Lanes, buffers, bufferBytes, 0);
            done = true;
            for (int t = 0; t < 4; t++)
            {
                Span<short> poly = polys.Slice(t * Ntt.N, Ntt.N);
                counts[t] += Sampling.RejectionSample(buffers.Slice(t * bufferBytes, KeccakSponge.Shake128Rate), poly[counts[t]..]);
                done &= counts[t] == Ntt.N;
            }
        }
    }

    /// <summary>SamplePolyCBD2(PRF(seed, nonce + t)) for t = 0..3 into polys[t·256 ..].</summary>
    [SkipLocalsInit]
    public static void SampleCbd2(ReadOnlySpan<byte> seed, byte nonce, Span<short> polys)
    {
        var state = default(LanesX4);
        Span<Vector256<ulong>> lanes = state;
        for (int w = 0; w < 4; w++)
        {
            lanes[w] = Vector256.Create(BinaryPrimitives.ReadUInt64LittleEndian(seed.Slice(8 * w, 8)));
        }

        lanes[4] = Vector256.Create(
            nonce | (0x1FUL << 8),
            (byte)(nonce + 1) | (0x1FUL << 8),
            (byte)(nonce + 2) | (0x1FUL << 8),
            (byte)(nonce + 3) | (0x1FUL << 8));
        lanes[Shake256Lanes - 1] = Vector256.Create(0x80UL << 56);
        KeccakPermutationX4.Permute(ref lanes[0]);

        Span<byte> buffers = stackalloc byte[4 * 128];
        Extract(lanes, 128 / 8, buffers, 128, 0);
        for (int t = 0; t < 4; t++)
        {
            Sampling.Cbd2(buffers.Slice(t * 128, 128), polys.Slice(t * Ntt.N, Ntt.N));
        }

        CryptographicOperations.ZeroMemory(buffers);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(lanes));
    }

    /// <summary>Writes the first <paramref name="laneCount"/> lanes of each instance t to buffers[t·stride + offset ..].</summary>
    private static void Extract(ReadOnlySpan<Vector256<ulong>> lanes, int laneCount, Span<byte> buffers, int stride, int offset)
    {
        for (int w = 0; w < laneCount; w++)
        {
            Vector256<ulong> lane = lanes[w];
            for (int t = 0; t < 4; t++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(buffers.Slice((t * stride) + offset + (8 * w), 8), lane.GetElement(t));
            }
        }
    }

    [InlineArray(25)]
    private struct LanesX4
    {
        private Vector256<ulong> _element;
    }
}
