using System.Buffers.Binary;
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

    /// <summary>Appends coefficients &lt; q parsed from 12-bit pairs of buffer; returns how many were written.</summary>
    internal static int RejectionSample(ReadOnlySpan<byte> buffer, Span<short> output)
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
        Cbd2(buffer, poly);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
    }

    /// <summary>SamplePolyCBD2 of 128 PRF bytes (FIPS 203 Algorithm 8, η = 2).</summary>
    internal static void Cbd2(ReadOnlySpan<byte> buffer, Span<short> poly)
    {
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
    }

    /// <summary>
    /// The k×k matrix Â (or Âᵀ when <paramref name="transposed"/>) into matrix[(i·k + j)·256 ..]: entry (i, j) is
    /// SampleNTT(ρ ‖ j ‖ i), transposed SampleNTT(ρ ‖ i ‖ j). Four entries at a time when vectors are available.
    /// </summary>
    [SkipLocalsInit]
    public static void SampleMatrix(ReadOnlySpan<byte> rho, int k, bool transposed, Span<short> matrix)
    {
        int entries = k * k;
        int entry = 0;
        if (KeccakPermutationX4.IsSupported)
        {
            Span<byte> indices = stackalloc byte[8];
            for (; entry + 4 <= entries; entry += 4)
            {
                for (int t = 0; t < 4; t++)
                {
                    int i = (entry + t) / k, j = (entry + t) % k;
                    indices[2 * t] = (byte)(transposed ? i : j);
                    indices[(2 * t) + 1] = (byte)(transposed ? j : i);
                }

                SamplingX4.SampleNtt(rho, indices, matrix.Slice(entry * Ntt.N, 4 * Ntt.N));
            }
        }

        for (; entry < entries; entry++)
        {
            int i = entry / k, j = entry % k;
            SampleNtt(rho, (byte)(transposed ? i : j), (byte)(transposed ? j : i), matrix.Slice(entry * Ntt.N, Ntt.N));
        }
    }

    /// <summary>polys[t·256 ..] ← SamplePolyCBD2(PRF(seed, firstNonce + t)) for t &lt; count, four at a time when possible.</summary>
    public static void SampleCbd2Many(ReadOnlySpan<byte> seed, int firstNonce, int count, Span<short> polys)
    {
        int t = 0;
        if (KeccakPermutationX4.IsSupported)
        {
            for (; t + 4 <= count; t += 4)
            {
                SamplingX4.SampleCbd2(seed, (byte)(firstNonce + t), polys.Slice(t * Ntt.N, 4 * Ntt.N));
            }
        }

        for (; t < count; t++)
        {
            SampleCbd2(seed, (byte)(firstNonce + t), polys.Slice(t * Ntt.N, Ntt.N));
        }
    }
}
