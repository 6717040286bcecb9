using SignalSharp.Spqr;

namespace SignalSharp.Tests.Spqr;

/// <summary>Table-free GF(2^16) arithmetic the tests check the library's log/exp tables against.</summary>
internal static class Gf16Reference
{
    /// <summary>Multiplies by repeated shifts; the table-free reference the table-driven multiply is compared against.</summary>
    internal static ushort MultiplySlow(ushort a, ushort b)
    {
        int result = 0;
        int x = a;
        for (int bit = 0; bit < 16; bit++)
        {
            if (((b >> bit) & 1) != 0)
            {
                result ^= x;
            }

            x <<= 1;
            if ((x & 0x10000) != 0)
            {
                x ^= Gf16.Polynomial;
            }
        }

        return (ushort)result;
    }
}
