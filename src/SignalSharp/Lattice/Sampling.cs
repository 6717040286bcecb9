using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;

namespace SignalSharp.Lattice;

/// <summary>
/// Polynomial samplers of FIPS 203 §4.2.2: SampleNTT (rejection sampling from SHAKE-128, over public
/// seeds only, so its data-dependent loop is harmless) and SamplePolyCBD with η = 2 over SHAKE-256 output
/// (constant time: bit counting by masks and shifts).
/// </summary>
internal static class Sampling
{
    /// <summary>SHAKE-128 blocks squeezed up front; enough for a full polynomial with high probability.</summary>
    private const int InitialBlocks = 3;

    /// <summary>Â[row][column] ← SampleNTT(ρ ‖ x ‖ y) with x, y the two index bytes in that order.</summary>
    [SkipLocalsInit]
    public static void SampleNtt(ReadOnlySpan<byte> rho, byte x, byte y, Span<short> poly)
    {
        var sponge = new KeccakSponge(KeccakSponge.Shake128Rate);
        sponge.Absorb(rho[..32]);
        Span<byte> indices = [x, y];
        sponge.Absorb(indices);
        sponge.Finish(KeccakSponge.ShakeDomain);

        Span<byte> buffer = stackalloc byte[InitialBlocks * KeccakSponge.Shake128Rate];
        sponge.Squeeze(buffer);
        int count = RejectionSample(buffer, poly[..Ntt.N]);
        while (count < Ntt.N)
        {
            Span<byte> block = buffer[..KeccakSponge.Shake128Rate];
            sponge.Squeeze(block);
            count += RejectionSample(block, poly[count..Ntt.N]);
        }
    }

    /// <summary>
    /// <see cref="SampleNtt"/> for up to four (x, y) index pairs at once (four SHAKE128 instances in the lanes of
    /// <see cref="KeccakPermutation4"/>), writing poly i to <paramref name="polys"/>[i·256 ..]. Same output as four
    /// separate calls.
    /// </summary>
    [SkipLocalsInit]
    public static void SampleNttBatch(ReadOnlySpan<byte> rho, ReadOnlySpan<byte> xs, ReadOnlySpan<byte> ys, Span<short> polys)
    {
        int count = xs.Length;
        if (!KeccakPermutation4.IsSupported || count < 2 || count > 4)
        {
            for (int i = 0; i < count; i++)
            {
                SampleNtt(rho, xs[i], ys[i], polys.Slice(i * Ntt.N, Ntt.N));
            }

            return;
        }

        const int rateWords = KeccakSponge.Shake128Rate / 8;
        Span<Vector256<ulong>> state = stackalloc Vector256<ulong>[25];
        state.Clear();

        // The single padded block ρ ‖ x ‖ y ‖ 0x1F … 0x80, different per lane only in word 4.
        for (int w = 0; w < 4; w++)
        {
            state[w] = Vector256.Create(BinaryPrimitives.ReadUInt64LittleEndian(rho.Slice(8 * w, 8)));
        }

        Span<ulong> word4 = stackalloc ulong[4];
        for (int lane = 0; lane < 4; lane++)
        {
            int i = Math.Min(lane, count - 1);
            word4[lane] = xs[i] | ((ulong)ys[i] << 8) | ((ulong)KeccakSponge.ShakeDomain << 16);
        }

        state[4] = Vector256.Create<ulong>(word4);
        state[rateWords - 1] = Vector256.Create(0x80UL << 56);

        Span<byte> buffer = stackalloc byte[4 * InitialBlocks * KeccakSponge.Shake128Rate];
        Span<int> filled = stackalloc int[4];
        filled.Clear();
        for (int block = 0; block < InitialBlocks; block++)
        {
            KeccakPermutation4.Permute(state);
            ExtractBlock(state, count, buffer, block);
        }

        bool done = true;
        for (int i = 0; i < count; i++)
        {
            var poly = polys.Slice(i * Ntt.N, Ntt.N);
            filled[i] = RejectionSample(buffer.Slice(i * InitialBlocks * KeccakSponge.Shake128Rate, InitialBlocks * KeccakSponge.Shake128Rate), poly);
            done &= filled[i] == Ntt.N;
        }

        while (!done)
        {
            KeccakPermutation4.Permute(state);
            ExtractBlock(state, count, buffer, 0);
            done = true;
            for (int i = 0; i < count; i++)
            {
                if (filled[i] < Ntt.N)
                {
                    var poly = polys.Slice(i * Ntt.N, Ntt.N);
                    filled[i] += RejectionSample(buffer.Slice(i * InitialBlocks * KeccakSponge.Shake128Rate, KeccakSponge.Shake128Rate), poly[filled[i]..]);
                    done &= filled[i] == Ntt.N;
                }
            }
        }
    }

    /// <summary>Copies the rate part of each lane's state to block <paramref name="block"/> of that lane's buffer.</summary>
    private static void ExtractBlock(ReadOnlySpan<Vector256<ulong>> state, int count, Span<byte> buffer, int block)
    {
        for (int lane = 0; lane < count; lane++)
        {
            var output = buffer.Slice((lane * InitialBlocks * KeccakSponge.Shake128Rate) + (block * KeccakSponge.Shake128Rate), KeccakSponge.Shake128Rate);
            for (int w = 0; w < KeccakSponge.Shake128Rate / 8; w++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(8 * w, 8), state[w].GetElement(lane));
            }
        }
    }

    private static int RejectionSample(ReadOnlySpan<byte> buffer, Span<short> output)
    {
        int count = 0;
        for (int position = 0; position + 3 <= buffer.Length && count < output.Length; position += 3)
        {
            int d1 = (buffer[position] | (buffer[position + 1] << 8)) & 0xFFF;
            int d2 = (buffer[position + 1] >> 4) | (buffer[position + 2] << 4);
            if (d1 < FieldArithmetic.Q)
            {
                output[count++] = (short)d1;
            }

            if (d2 < FieldArithmetic.Q && count < output.Length)
            {
                output[count++] = (short)d2;
            }
        }

        return count;
    }

    /// <summary>poly ← SamplePolyCBD2(PRF2(seed, nonce)) = CBD over SHAKE-256(seed ‖ nonce, 128 bytes).</summary>
    [SkipLocalsInit]
    public static void SampleCbd2(ReadOnlySpan<byte> seed, byte nonce, Span<short> poly)
    {
        Span<byte> buffer = stackalloc byte[128];
        Span<byte> nonceBytes = [nonce];
        Sha3.Shake256(seed[..32], nonceBytes, buffer);
        for (int i = 0; i < Ntt.N / 8; i++)
        {
            uint t = BinaryPrimitives.ReadUInt32LittleEndian(buffer.Slice(4 * i, 4));
            uint d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);
            for (int j = 0; j < 8; j++)
            {
                int a = (int)((d >> (4 * j)) & 3);
                int b = (int)((d >> ((4 * j) + 2)) & 3);
                poly[(8 * i) + j] = (short)(a - b);
            }
        }

        System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
    }
}
