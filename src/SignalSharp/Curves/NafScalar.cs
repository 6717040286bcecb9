using System.Buffers.Binary;

namespace SignalSharp.Curves;

/// <summary>Width-w non-adjacent form of a public 256-bit scalar (variable time; public data only).</summary>
internal static class NafScalar
{
    /// <summary>
    /// Writes digits d[0..255] with k = Σ d[i]·2^i, every non-zero digit odd and |d[i]| &lt; 2^(w−1), and at
    /// least w − 1 zeros after each non-zero digit. The scalar must be below 2^255.
    /// </summary>
    internal static void Compute(ReadOnlySpan<byte> scalar32, int width, Span<sbyte> digits)
    {
        Span<ulong> words = stackalloc ulong[5];
        for (int i = 0; i < 4; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(scalar32[(8 * i)..]);
        }

        words[4] = 0;
        digits[..256].Clear();

        ulong windowSize = 1UL << width;
        ulong windowMask = windowSize - 1;
        ulong carry = 0;
        int pos = 0;
        while (pos < 256)
        {
            int wordIndex = pos >> 6;
            int bitIndex = pos & 63;
            ulong bits = bitIndex < 64 - width
                ? words[wordIndex] >> bitIndex
                : (words[wordIndex] >> bitIndex) | (words[wordIndex + 1] << (64 - bitIndex));
            ulong window = carry + (bits & windowMask);
            if ((window & 1) == 0)
            {
                pos++;
                continue;
            }

            if (window < windowSize / 2)
            {
                carry = 0;
                digits[pos] = (sbyte)window;
            }
            else
            {
                carry = 1;
                digits[pos] = (sbyte)((long)window - (long)windowSize);
            }

            pos += width;
        }
    }
}
