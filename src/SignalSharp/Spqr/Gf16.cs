namespace SignalSharp.Spqr;

/// <summary>
/// Arithmetic in GF(2^16) with the reduction polynomial x^16 + x^12 + x^3 + x + 1 (0x1100B), the field of
/// SPQR's erasure code. Addition is XOR. Multiplication uses log/antilog tables: every value that passes
/// through this field is public protocol data (ML-KEM headers, encapsulation keys and ciphertexts that
/// travel unencrypted in SignalMessage field 5), so table lookups indexed by it leak nothing secret.
/// </summary>
internal static class Gf16
{
    /// <summary>The reduction polynomial including the x^16 term.</summary>
    internal const int Polynomial = 0x1100B;

    private const int Order = 65535;

    // Exp is doubled so that Exp[Log[a] + Log[b]] needs no modular reduction.
    private static readonly ushort[] Exp = new ushort[2 * Order];
    private static readonly ushort[] Log = new ushort[Order + 1];

    static Gf16()
    {
        int value = 1;
        for (int i = 0; i < Order; i++)
        {
            Exp[i] = (ushort)value;
            Exp[i + Order] = (ushort)value;
            Log[value] = (ushort)i;
            value <<= 1;
            if ((value & 0x10000) != 0)
            {
                value ^= Polynomial;
            }
        }
    }

    /// <summary>Multiplies two field elements.</summary>
    internal static ushort Multiply(ushort a, ushort b)
        => a == 0 || b == 0 ? (ushort)0 : Exp[Log[a] + Log[b]];

    /// <summary>Divides <paramref name="a"/> by the non-zero <paramref name="b"/>.</summary>
    internal static ushort Divide(ushort a, ushort b)
    {
        if (b == 0)
        {
            throw new DivideByZeroException("division by zero in GF(2^16)");
        }

        return a == 0 ? (ushort)0 : Exp[Log[a] + Order - Log[b]];
    }

    /// <summary>
    /// The Lagrange basis weights at <paramref name="target"/> for the distinct nodes <paramref name="nodes"/>:
    /// P(target) = Σ weights[i]·P(nodes[i]) for every polynomial P of degree below nodes.Length.
    /// </summary>
    internal static void LagrangeWeights(ReadOnlySpan<ushort> nodes, ushort target, Span<ushort> weights)
    {
        for (int i = 0; i < nodes.Length; i++)
        {
            ushort numerator = 1;
            ushort denominator = 1;
            for (int k = 0; k < nodes.Length; k++)
            {
                if (k == i)
                {
                    continue;
                }

                numerator = Multiply(numerator, (ushort)(target ^ nodes[k]));
                denominator = Multiply(denominator, (ushort)(nodes[i] ^ nodes[k]));
            }

            weights[i] = Divide(numerator, denominator);
        }
    }
}
