using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SignalSharp.Curves;

/// <summary>
/// An element of GF(2^255 − 19) in radix 2^51 (five unsigned limbs). Used only on public data
/// (signature verification, public-key conversion and checks), where variable-time code is allowed;
/// secret-key operations go to libsodium.
/// </summary>
/// <remarks>
/// Limb bounds: results of <see cref="Mul"/>, <see cref="Square"/>, <see cref="Sub"/> and
/// <see cref="Negate"/> have limbs below 2^52; <see cref="Add"/> of two such values stays below 2^53, and
/// multiplication accepts limbs below 2^54, so one unreduced addition may feed a multiplication.
/// </remarks>
internal readonly struct FieldElement
{
    private const ulong Mask51 = (1UL << 51) - 1;

    internal readonly ulong L0, L1, L2, L3, L4;

    internal FieldElement(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
        L4 = l4;
    }

    internal static FieldElement Zero => default;

    internal static FieldElement One => new(1, 0, 0, 0, 0);

    internal static FieldElement FromUInt(ulong value) => new(value & Mask51, value >> 51, 0, 0, 0);

    /// <summary>Loads 32 little-endian bytes, ignoring bit 255; values ≥ p are kept as non-canonical representatives.</summary>
    internal static FieldElement FromBytes(ReadOnlySpan<byte> s)
    {
        ulong w0 = BinaryPrimitives.ReadUInt64LittleEndian(s);
        ulong w1 = BinaryPrimitives.ReadUInt64LittleEndian(s[8..]);
        ulong w2 = BinaryPrimitives.ReadUInt64LittleEndian(s[16..]);
        ulong w3 = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
        return new FieldElement(
            w0 & Mask51,
            ((w0 >> 51) | (w1 << 13)) & Mask51,
            ((w1 >> 38) | (w2 << 26)) & Mask51,
            ((w2 >> 25) | (w3 << 39)) & Mask51,
            (w3 >> 12) & Mask51);
    }

    /// <summary>Writes the canonical (fully reduced) 32-byte little-endian encoding.</summary>
    internal void ToBytes(Span<byte> s)
    {
        // Bring every limb below 2^51 (limb 0 may exceed it by a little), then subtract p if the value is ≥ p:
        // q = 1 exactly when value + 19 ≥ 2^255.
        ulong l0 = L0, l1 = L1, l2 = L2, l3 = L3, l4 = L4;
        l1 += l0 >> 51; l0 &= Mask51;
        l2 += l1 >> 51; l1 &= Mask51;
        l3 += l2 >> 51; l2 &= Mask51;
        l4 += l3 >> 51; l3 &= Mask51;
        l0 += (l4 >> 51) * 19; l4 &= Mask51;
        l1 += l0 >> 51; l0 &= Mask51;

        ulong q = (l0 + 19) >> 51;
        q = (l1 + q) >> 51;
        q = (l2 + q) >> 51;
        q = (l3 + q) >> 51;
        q = (l4 + q) >> 51;

        l0 += 19 * q;
        l1 += l0 >> 51; l0 &= Mask51;
        l2 += l1 >> 51; l1 &= Mask51;
        l3 += l2 >> 51; l2 &= Mask51;
        l4 += l3 >> 51; l3 &= Mask51;
        l4 &= Mask51;

        BinaryPrimitives.WriteUInt64LittleEndian(s, l0 | (l1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], (l1 >> 13) | (l2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], (l2 >> 26) | (l3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], (l3 >> 39) | (l4 << 12));
    }

    /// <summary>True when the canonical value is zero.</summary>
    internal bool IsZero
    {
        get
        {
            Span<byte> b = stackalloc byte[32];
            ToBytes(b);
            return b.IndexOfAnyExcept((byte)0) < 0;
        }
    }

    /// <summary>True when the canonical value is odd ("negative" in RFC 8032 terms).</summary>
    internal bool IsNegative
    {
        get
        {
            Span<byte> b = stackalloc byte[32];
            ToBytes(b);
            return (b[0] & 1) != 0;
        }
    }

    internal bool ValueEquals(in FieldElement other)
    {
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        ToBytes(a);
        other.ToBytes(b);
        return a.SequenceEqual(b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement Add(in FieldElement a, in FieldElement b)
        => new(a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4);

    /// <summary>a − b, computed as (a + 16p) − b and then weakly reduced (b's limbs must be below 2^55).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement Sub(in FieldElement a, in FieldElement b)
        => Reduce(
            (a.L0 + 36028797018963664UL) - b.L0,
            (a.L1 + 36028797018963952UL) - b.L1,
            (a.L2 + 36028797018963952UL) - b.L2,
            (a.L3 + 36028797018963952UL) - b.L3,
            (a.L4 + 36028797018963952UL) - b.L4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement Negate(in FieldElement a) => Sub(Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Reduce(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        ulong c0 = l0 >> 51, c1 = l1 >> 51, c2 = l2 >> 51, c3 = l3 >> 51, c4 = l4 >> 51;
        return new FieldElement(
            (l0 & Mask51) + c4 * 19,
            (l1 & Mask51) + c0,
            (l2 & Mask51) + c1,
            (l3 & Mask51) + c2,
            (l4 & Mask51) + c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement Mul(in FieldElement a, in FieldElement b)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4;
        ulong b1t = b1 * 19, b2t = b2 * 19, b3t = b3 * 19, b4t = b4 * 19;

        UInt128 c0 = Math.BigMul(a0, b0) + Math.BigMul(a1, b4t) + Math.BigMul(a2, b3t) + Math.BigMul(a3, b2t) + Math.BigMul(a4, b1t);
        UInt128 c1 = Math.BigMul(a0, b1) + Math.BigMul(a1, b0) + Math.BigMul(a2, b4t) + Math.BigMul(a3, b3t) + Math.BigMul(a4, b2t);
        UInt128 c2 = Math.BigMul(a0, b2) + Math.BigMul(a1, b1) + Math.BigMul(a2, b0) + Math.BigMul(a3, b4t) + Math.BigMul(a4, b3t);
        UInt128 c3 = Math.BigMul(a0, b3) + Math.BigMul(a1, b2) + Math.BigMul(a2, b1) + Math.BigMul(a3, b0) + Math.BigMul(a4, b4t);
        UInt128 c4 = Math.BigMul(a0, b4) + Math.BigMul(a1, b3) + Math.BigMul(a2, b2) + Math.BigMul(a3, b1) + Math.BigMul(a4, b0);
        return Carry(c0, c1, c2, c3, c4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FieldElement Square(in FieldElement a)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        ulong d0 = a0 * 2, d1 = a1 * 2, d2 = a2 * 2, d3 = a3 * 2;
        ulong a3t = a3 * 19, a4t = a4 * 19;

        UInt128 c0 = Math.BigMul(a0, a0) + Math.BigMul(d1, a4t) + Math.BigMul(d2, a3t);
        UInt128 c1 = Math.BigMul(d0, a1) + Math.BigMul(a3, a3t) + Math.BigMul(d2, a4t);
        UInt128 c2 = Math.BigMul(d0, a2) + Math.BigMul(a1, a1) + Math.BigMul(d3, a4t);
        UInt128 c3 = Math.BigMul(d0, a3) + Math.BigMul(d1, a2) + Math.BigMul(a4, a4t);
        UInt128 c4 = Math.BigMul(d0, a4) + Math.BigMul(d1, a3) + Math.BigMul(a2, a2);
        return Carry(c0, c1, c2, c3, c4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Carry(UInt128 c0, UInt128 c1, UInt128 c2, UInt128 c3, UInt128 c4)
    {
        c1 += (ulong)(c0 >> 51);
        ulong r0 = (ulong)c0 & Mask51;
        c2 += (ulong)(c1 >> 51);
        ulong r1 = (ulong)c1 & Mask51;
        c3 += (ulong)(c2 >> 51);
        ulong r2 = (ulong)c2 & Mask51;
        c4 += (ulong)(c3 >> 51);
        ulong r3 = (ulong)c3 & Mask51;
        ulong carry = (ulong)(c4 >> 51);
        ulong r4 = (ulong)c4 & Mask51;

        // carry·19 can exceed 64 bits for inputs near 2^54: fold its low 51 bits into limb 0 and the rest into limb 1.
        r0 += (carry & Mask51) * 19;
        r1 += (carry >> 51) * 19;
        r1 += r0 >> 51;
        r0 &= Mask51;
        return new FieldElement(r0, r1, r2, r3, r4);
    }

    /// <summary>a^(2^k) by k squarings.</summary>
    internal static FieldElement SquareTimes(in FieldElement a, int k)
    {
        FieldElement r = Square(a);
        for (int i = 1; i < k; i++)
        {
            r = Square(r);
        }

        return r;
    }

    /// <summary>Returns (a^(2^250 − 1), a^11), the common prefix of inversion and square roots.</summary>
    private static (FieldElement T250, FieldElement T11) Pow22501(in FieldElement a)
    {
        FieldElement t2 = Square(a);                 // 2
        FieldElement t8 = SquareTimes(t2, 2);        // 8
        FieldElement t9 = Mul(a, t8);                // 9
        FieldElement t11 = Mul(t2, t9);              // 11
        FieldElement t22 = Square(t11);              // 22
        FieldElement t5 = Mul(t9, t22);              // 31 = 2^5 − 1
        FieldElement t10 = Mul(SquareTimes(t5, 5), t5);       // 2^10 − 1
        FieldElement t20 = Mul(SquareTimes(t10, 10), t10);    // 2^20 − 1
        FieldElement t40 = Mul(SquareTimes(t20, 20), t20);    // 2^40 − 1
        FieldElement t50 = Mul(SquareTimes(t40, 10), t10);    // 2^50 − 1
        FieldElement t100 = Mul(SquareTimes(t50, 50), t50);   // 2^100 − 1
        FieldElement t200 = Mul(SquareTimes(t100, 100), t100); // 2^200 − 1
        FieldElement t250 = Mul(SquareTimes(t200, 50), t50);  // 2^250 − 1
        return (t250, t11);
    }

    /// <summary>a^(p − 2) = 1/a (0 for a = 0).</summary>
    internal static FieldElement Invert(in FieldElement a)
    {
        var (t250, t11) = Pow22501(a);
        return Mul(SquareTimes(t250, 5), t11); // 2^255 − 32 + 11 = p − 2
    }

    /// <summary>a^((p − 5) / 8) = a^(2^252 − 3).</summary>
    internal static FieldElement Pow22523(in FieldElement a)
    {
        var (t250, _) = Pow22501(a);
        return Mul(SquareTimes(t250, 2), a);
    }
}
