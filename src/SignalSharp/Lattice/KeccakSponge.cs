using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SignalSharp.Lattice;

/// <summary>
/// A Keccak[c] sponge (FIPS 202 §4) used for SHA3-256, SHA3-512, SHAKE-128 and SHAKE-256. A mutable value
/// type so that the lattice code can keep it on the stack; callers must <see cref="Clear"/> it when it
/// absorbed secret input. Bytes map to lanes little-endian regardless of the platform's byte order.
/// </summary>
internal struct KeccakSponge
{
    /// <summary>Rate of SHAKE-128 in bytes.</summary>
    public const int Shake128Rate = 168;

    /// <summary>Rate of SHAKE-256 and SHA3-256 in bytes.</summary>
    public const int Shake256Rate = 136;

    /// <summary>Rate of SHA3-512 in bytes.</summary>
    public const int Sha3512Rate = 72;

    /// <summary>Domain separation and first padding bit of SHA3-*.</summary>
    public const byte Sha3Domain = 0x06;

    /// <summary>Domain separation and first padding bit of SHAKE*.</summary>
    public const byte ShakeDomain = 0x1F;

    private Lanes _lanes;
    private int _rate;
    private int _position;

    /// <summary>Starts an empty sponge with the given rate in bytes (a multiple of 8).</summary>
    public KeccakSponge(int rate)
    {
        _rate = rate;
        _position = 0;
    }

    /// <summary>XORs input into the state, permuting whenever a block is full.</summary>
    public void Absorb(ReadOnlySpan<byte> input)
    {
        Span<ulong> lanes = _lanes;
        int rate = _rate;
        int position = _position;
        while (input.Length > 0)
        {
            if (position == 0 && input.Length >= rate)
            {
                for (int i = 0; i < rate / 8; i++)
                {
                    lanes[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(8 * i, 8));
                }

                KeccakPermutation.Permute(ref lanes[0]);
                input = input[rate..];
                continue;
            }

            int take = Math.Min(rate - position, input.Length);
            for (int i = 0; i < take; i++)
            {
                int at = position + i;
                lanes[at >> 3] ^= (ulong)input[i] << (8 * (at & 7));
            }

            position += take;
            input = input[take..];
            if (position == rate)
            {
                KeccakPermutation.Permute(ref lanes[0]);
                position = 0;
            }
        }

        _position = position;
    }

    /// <summary>XORs a single byte into the state.</summary>
    public void Absorb(byte value)
    {
        Span<byte> one = [value];
        Absorb(one);
    }

    /// <summary>Pads (domain bits ‖ 10*1), permutes, and switches the sponge to squeezing.</summary>
    public void Finish(byte domain)
    {
        Span<ulong> lanes = _lanes;
        lanes[_position >> 3] ^= (ulong)domain << (8 * (_position & 7));
        lanes[(_rate - 1) >> 3] ^= 0x80UL << (8 * ((_rate - 1) & 7));
        KeccakPermutation.Permute(ref lanes[0]);
        _position = 0;
    }

    /// <summary>Reads output bytes after <see cref="Finish"/>; may be called repeatedly (XOF).</summary>
    public void Squeeze(Span<byte> output)
    {
        Span<ulong> lanes = _lanes;
        int rate = _rate;
        int position = _position;
        while (output.Length > 0)
        {
            if (position == rate)
            {
                KeccakPermutation.Permute(ref lanes[0]);
                position = 0;
            }

            if (position == 0 && output.Length >= rate)
            {
                for (int i = 0; i < rate / 8; i++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(8 * i, 8), lanes[i]);
                }

                output = output[rate..];
                position = rate;
                continue;
            }

            int take = Math.Min(rate - position, output.Length);
            for (int i = 0; i < take; i++)
            {
                int at = position + i;
                output[i] = (byte)(lanes[at >> 3] >> (8 * (at & 7)));
            }

            position += take;
            output = output[take..];
        }

        _position = position;
    }

    /// <summary>Wipes the state (it may hold secret input or output).</summary>
    public void Clear()
    {
        Span<ulong> lanes = _lanes;
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(lanes));
        _position = 0;
    }

    [InlineArray(25)]
    private struct Lanes
    {
        private ulong _element;
    }
}
