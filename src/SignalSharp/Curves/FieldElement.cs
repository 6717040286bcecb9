using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

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
[SkipLocalsInit] // Hot arithmetic: every local and stackalloc is written before it is read.
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

    internal static FieldElement Mul(in FieldElement a, in FieldElement b)
    {
        // b is weakly reduced first (limbs below 2^52) so that 19·b_j·2^7 fits in 64 bits; a may have limbs up
        // to 2^54, so a_i·2^6 fits too. The product of the pre-shifted operands is a·b·2^13: its high half is
        // floor(a·b / 2^51), the part carried to the next limb, and its low half shifted right by 13 is
        // a·b mod 2^51, the part kept in this limb. No carry flags or 128-bit temporaries are needed.
        ulong a0 = a.L0 << 6, a1 = a.L1 << 6, a2 = a.L2 << 6, a3 = a.L3 << 6, a4 = a.L4 << 6;
        ulong r0 = b.L0 & Mask51, r1 = b.L1 & Mask51, r2 = b.L2 & Mask51, r3 = b.L3 & Mask51, r4 = b.L4 & Mask51;
        r0 += (b.L4 >> 51) * 19;
        r1 += b.L0 >> 51;
        r2 += b.L1 >> 51;
        r3 += b.L2 >> 51;
        r4 += b.L3 >> 51;
        ulong b0 = r0 << 7, b1 = r1 << 7, b2 = r2 << 7, b3 = r3 << 7, b4 = r4 << 7;
        ulong b1t = (r1 * 19) << 7, b2t = (r2 * 19) << 7, b3t = (r3 * 19) << 7, b4t = (r4 * 19) << 7;

        ulong lo0 = 0, hi0 = 0, lo1 = 0, hi1 = 0, lo2 = 0, hi2 = 0, lo3 = 0, hi3 = 0, lo4 = 0, hi4 = 0;
        Acc(a0, b0, ref lo0, ref hi0); Acc(a1, b4t, ref lo0, ref hi0); Acc(a2, b3t, ref lo0, ref hi0); Acc(a3, b2t, ref lo0, ref hi0); Acc(a4, b1t, ref lo0, ref hi0);
        Acc(a0, b1, ref lo1, ref hi1); Acc(a1, b0, ref lo1, ref hi1); Acc(a2, b4t, ref lo1, ref hi1); Acc(a3, b3t, ref lo1, ref hi1); Acc(a4, b2t, ref lo1, ref hi1);
        Acc(a0, b2, ref lo2, ref hi2); Acc(a1, b1, ref lo2, ref hi2); Acc(a2, b0, ref lo2, ref hi2); Acc(a3, b4t, ref lo2, ref hi2); Acc(a4, b3t, ref lo2, ref hi2);
        Acc(a0, b3, ref lo3, ref hi3); Acc(a1, b2, ref lo3, ref hi3); Acc(a2, b1, ref lo3, ref hi3); Acc(a3, b0, ref lo3, ref hi3); Acc(a4, b4t, ref lo3, ref hi3);
        Acc(a0, b4, ref lo4, ref hi4); Acc(a1, b3, ref lo4, ref hi4); Acc(a2, b2, ref lo4, ref hi4); Acc(a3, b1, ref lo4, ref hi4); Acc(a4, b0, ref lo4, ref hi4);
        return Carry(lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3, lo4, hi4);
    }

    internal static FieldElement Square(in FieldElement a)
    {
        // Same pre-shift technique as Mul, after a weak reduction of a (limbs below 2^52).
        ulong r0 = a.L0 & Mask51, r1 = a.L1 & Mask51, r2 = a.L2 & Mask51, r3 = a.L3 & Mask51, r4 = a.L4 & Mask51;
        r0 += (a.L4 >> 51) * 19;
        r1 += a.L0 >> 51;
        r2 += a.L1 >> 51;
        r3 += a.L2 >> 51;
        r4 += a.L3 >> 51;
        // s_i = r_i·2^6 (x side), t_i = r_i·2^7 (y side, equal to 2·r_i on the x side), u_i = 19·r_i·2^7.
        ulong s0 = r0 << 6, s1 = r1 << 6, s2 = r2 << 6, s3 = r3 << 6, s4 = r4 << 6;
        ulong t0 = r0 << 7, t1 = r1 << 7, t2 = r2 << 7, t3 = r3 << 7, t4 = r4 << 7;
        ulong u3 = (r3 * 19) << 7, u4 = (r4 * 19) << 7;

        ulong lo0 = 0, hi0 = 0, lo1 = 0, hi1 = 0, lo2 = 0, hi2 = 0, lo3 = 0, hi3 = 0, lo4 = 0, hi4 = 0;
        Acc(s0, t0, ref lo0, ref hi0); Acc(t1, u4, ref lo0, ref hi0); Acc(t2, u3, ref lo0, ref hi0);
        Acc(t0, t1, ref lo1, ref hi1); Acc(s3, u3, ref lo1, ref hi1); Acc(t2, u4, ref lo1, ref hi1);
        Acc(t0, t2, ref lo2, ref hi2); Acc(s1, t1, ref lo2, ref hi2); Acc(t3, u4, ref lo2, ref hi2);
        Acc(t0, t3, ref lo3, ref hi3); Acc(t1, t2, ref lo3, ref hi3); Acc(s4, u4, ref lo3, ref hi3);
        Acc(t0, t4, ref lo4, ref hi4); Acc(t1, t3, ref lo4, ref hi4); Acc(s2, t2, ref lo4, ref hi4);
        return Carry(lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3, lo4, hi4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Acc(ulong xShifted, ulong yShifted, ref ulong lo, ref ulong hi)
    {
        hi += Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(xShifted, yShifted) : Math.BigMul(xShifted, yShifted, out _);
        lo += (xShifted * yShifted) >> 13;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Carry(ulong lo0, ulong hi0, ulong lo1, ulong hi1, ulong lo2, ulong hi2, ulong lo3, ulong hi3, ulong lo4, ulong hi4)
    {
        // Limb i = lo_i + hi_(i−1), with hi_4 wrapping to limb 0 times 19 (2^255 ≡ 19). hi4 < 2^62, so
        // 19·hi4 is split the same way to stay within 64 bits.
        ulong c0 = lo0 + (hi4 & Mask51) * 19;
        ulong c1 = lo1 + hi0 + (hi4 >> 51) * 19;
        ulong c2 = lo2 + hi1;
        ulong c3 = lo3 + hi2;
        ulong c4 = lo4 + hi3;

        // One parallel carry round (no serial chain): every c_i is below 2^63, so each limb ends below
        // 2^51 + 19·2^12 < 2^52.
        ulong k0 = c0 >> 51, k1 = c1 >> 51, k2 = c2 >> 51, k3 = c3 >> 51, k4 = c4 >> 51;
        c0 = (c0 & Mask51) + k4 * 19;
        c1 = (c1 & Mask51) + k0;
        c2 = (c2 & Mask51) + k1;
        c3 = (c3 & Mask51) + k2;
        c4 = (c4 & Mask51) + k3;
        return new FieldElement(c0, c1, c2, c3, c4);
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
