using System.Runtime.CompilerServices;

namespace SignalSharp.Lattice;

/// <summary>
/// Arithmetic modulo q = 3329 on 16-bit coefficients (Montgomery factor R = 2^16). Every routine is
/// branch-free multiply/shift code, so it is constant time in its (possibly secret) inputs.
/// </summary>
internal static class FieldArithmetic
{
    /// <summary>The prime modulus q.</summary>
    public const int Q = 3329;

    /// <summary>q^-1 mod 2^16 as a signed 16-bit value.</summary>
    internal const int QInverse = -3327;

    /// <summary>round(2^26 / q), the Barrett constant.</summary>
    internal const int BarrettMultiplier = ((1 << 26) + (Q / 2)) / Q;

    /// <summary>2^32 mod q: multiplying by it with <see cref="MontgomeryMultiply"/> maps a to a·R.</summary>
    public const short MontgomerySquare = 1353;

    /// <summary>ceil(2^40 / q): floor(y / q) = (y · this) >> 40 for every 0 ≤ y &lt; 2^27.</summary>
    private const ulong DivisionMultiplier = ((1UL << 40) + Q - 1) / Q;

    /// <summary>Returns a·R^-1 mod q in (−q, q) for |a| &lt; q·2^15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short MontgomeryReduce(int a)
    {
        short t = (short)((short)a * QInverse);
        return (short)((a - (t * Q)) >> 16);
    }

    /// <summary>Returns a·b·R^-1 mod q in (−q, q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short MontgomeryMultiply(short a, short b) => MontgomeryReduce(a * b);

    /// <summary>Returns the representative of a mod q in [−(q−1)/2, (q−1)/2].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short BarrettReduce(short a)
    {
        int t = ((BarrettMultiplier * a) + (1 << 25)) >> 26;
        return (short)(a - (t * Q));
    }

    /// <summary>Maps a value in (−q, q) to [0, q) without branching.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToCanonical(short a) => a + ((a >> 15) & Q);

    /// <summary>floor(y / q) for 0 ≤ y &lt; 2^27 by multiplication (no data-dependent division timing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint DivideByQ(uint y) => (uint)((y * DivisionMultiplier) >> 40);
}
