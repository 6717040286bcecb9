namespace SignalSharp.Lattice;

/// <summary>
/// Byte encodings of polynomials (FIPS 203 Algorithms 5–6 and §4.2.1 compression): 12-bit packing of NTT
/// vectors, d-bit compression of ciphertext parts and the 1-bit message encoding. Every loop has a fixed
/// trip count and divisions by q are multiplications, so secret coefficients do not affect timing.
/// </summary>
internal static class PolyCodec
{
    /// <summary>Bytes of one 12-bit packed polynomial.</summary>
    public const int PolyBytes = 384;

    /// <summary>Packs 256 coefficients in (−q, q) as canonical 12-bit values (ByteEncode12).</summary>
    public static void Encode12(ReadOnlySpan<short> poly, Span<byte> output)
    {
        output = output[..PolyBytes];
        for (int i = 0; i < Ntt.N / 2; i++)
        {
            int t0 = FieldArithmetic.ToCanonical(poly[2 * i]);
            int t1 = FieldArithmetic.ToCanonical(poly[(2 * i) + 1]);
            output[3 * i] = (byte)t0;
            output[(3 * i) + 1] = (byte)((t0 >> 8) | (t1 << 4));
            output[(3 * i) + 2] = (byte)(t1 >> 4);
        }
    }

    /// <summary>Unpacks 256 12-bit values (ByteDecode12 without the reduction; values may reach 4095).</summary>
    public static void Decode12(ReadOnlySpan<byte> input, Span<short> poly)
    {
        input = input[..PolyBytes];
        for (int i = 0; i < Ntt.N / 2; i++)
        {
            int b0 = input[3 * i], b1 = input[(3 * i) + 1], b2 = input[(3 * i) + 2];
            poly[2 * i] = (short)((b0 | (b1 << 8)) & 0xFFF);
            poly[(2 * i) + 1] = (short)((b1 >> 4) | (b2 << 4));
        }
    }

    /// <summary>
    /// FIPS 203 §7.2 modulus check for one packed polynomial: true when every 12-bit value is below q.
    /// Runs over public key data; it is branch-free anyway.
    /// </summary>
    public static bool IsCanonical12(ReadOnlySpan<byte> input)
    {
        input = input[..PolyBytes];
        int bad = 0;
        for (int i = 0; i < Ntt.N / 2; i++)
        {
            int b0 = input[3 * i], b1 = input[(3 * i) + 1], b2 = input[(3 * i) + 2];
            int c0 = (b0 | (b1 << 8)) & 0xFFF;
            int c1 = (b1 >> 4) | (b2 << 4);
            bad |= (FieldArithmetic.Q - 1 - c0) | (FieldArithmetic.Q - 1 - c1);
        }

        return bad >= 0;
    }

    /// <summary>Compresses coefficients in (−q, q) to <paramref name="bits"/> bits each and packs them little-endian.</summary>
    public static void CompressEncode(ReadOnlySpan<short> poly, int bits, Span<byte> output)
    {
        output = output[..(32 * bits)];
        uint mask = (1u << bits) - 1;
        ulong accumulator = 0;
        int filled = 0;
        int written = 0;
        for (int i = 0; i < Ntt.N; i++)
        {
            uint x = (uint)FieldArithmetic.ToCanonical(poly[i]);
            uint compressed = FieldArithmetic.DivideByQ((x << bits) + (FieldArithmetic.Q / 2)) & mask;
            accumulator |= (ulong)compressed << filled;
            filled += bits;
            while (filled >= 8)
            {
                output[written++] = (byte)accumulator;
                accumulator >>= 8;
                filled -= 8;
            }
        }
    }

    /// <summary>Unpacks <paramref name="bits"/>-bit values and decompresses them to [0, q).</summary>
    public static void DecodeDecompress(ReadOnlySpan<byte> input, int bits, Span<short> poly)
    {
        input = input[..(32 * bits)];
        uint mask = (1u << bits) - 1;
        ulong accumulator = 0;
        int filled = 0;
        int read = 0;
        for (int i = 0; i < Ntt.N; i++)
        {
            while (filled < bits)
            {
                accumulator |= (ulong)input[read++] << filled;
                filled += 8;
            }

            uint y = (uint)accumulator & mask;
            accumulator >>= bits;
            filled -= bits;
            poly[i] = (short)(((y * FieldArithmetic.Q) + (1u << (bits - 1))) >> bits);
        }
    }

    /// <summary>Decompress1(ByteDecode1(message)): bit b becomes b·⌈q/2⌉, selected with a mask.</summary>
    public static void FromMessage(ReadOnlySpan<byte> message, Span<short> poly)
    {
        message = message[..32];
        for (int i = 0; i < 32; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                int mask = -((message[i] >> j) & 1);
                poly[(8 * i) + j] = (short)(mask & ((FieldArithmetic.Q + 1) / 2));
            }
        }
    }

    /// <summary>ByteEncode1(Compress1(poly)) for coefficients in (−q, q).</summary>
    public static void ToMessage(ReadOnlySpan<short> poly, Span<byte> message) => CompressEncode(poly, 1, message);
}
