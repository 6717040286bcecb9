using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.Crypto;

/// <summary>
/// POLYVAL (RFC 8452 §3): the universal hash of AES-GCM-SIV over GF(2^128) with the polynomial
/// x^128 + x^127 + x^126 + x^121 + 1, little-endian. Constant time: the carry-less products use PCLMULQDQ
/// when the CPU has it, otherwise integer multiplications on bit-sparse operands (no table lookups, no
/// branches on data).
/// </summary>
internal ref struct Polyval
{
    // x^127 + x^126 + x^121 as the high word of a 128-bit value: the reduction constant.
    private const ulong ReductionConstant = 0xC200000000000000UL;

    private readonly ulong _hLo;
    private readonly ulong _hHi;
    private ulong _sLo;
    private ulong _sHi;

    /// <summary>Starts a hash under the 16-byte key <paramref name="h"/>.</summary>
    public Polyval(ReadOnlySpan<byte> h)
    {
        _hLo = BinaryPrimitives.ReadUInt64LittleEndian(h);
        _hHi = BinaryPrimitives.ReadUInt64LittleEndian(h[8..]);
        _sLo = 0;
        _sHi = 0;
    }

    /// <summary>Absorbs <paramref name="data"/>, zero-padded to a multiple of 16 bytes.</summary>
    public void UpdatePadded(ReadOnlySpan<byte> data)
    {
        while (data.Length >= 16)
        {
            Block(BinaryPrimitives.ReadUInt64LittleEndian(data), BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
            data = data[16..];
        }

        if (data.Length > 0)
        {
            Span<byte> last = stackalloc byte[16];
            last.Clear();
            data.CopyTo(last);
            Block(BinaryPrimitives.ReadUInt64LittleEndian(last), BinaryPrimitives.ReadUInt64LittleEndian(last[8..]));
            last.Clear();
        }
    }

    /// <summary>Absorbs one block given as two little-endian words.</summary>
    public void Block(ulong lo, ulong hi)
    {
        (_sLo, _sHi) = Dot(_sLo ^ lo, _sHi ^ hi, _hLo, _hHi);
    }

    /// <summary>Writes the 16-byte result and clears the state.</summary>
    public void Finish(Span<byte> output)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output, _sLo);
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], _sHi);
        _sLo = 0;
        _sHi = 0;
    }

    /// <summary>dot(a, b) = a · b · x^-128 (RFC 8452 §3).</summary>
    internal static (ulong Lo, ulong Hi) Dot(ulong aLo, ulong aHi, ulong bLo, ulong bHi)
    {
        if (Pclmulqdq.IsSupported && Sse2.X64.IsSupported)
        {
            return DotPclmul(aLo, aHi, bLo, bHi);
        }

        return DotPortable(aLo, aHi, bLo, bHi);
    }

    internal static (ulong Lo, ulong Hi) DotPortable(ulong aLo, ulong aHi, ulong bLo, ulong bHi)
    {
        // Karatsuba: three 64x64 carry-less products.
        var (l0, l1) = ClMul(aLo, bLo);
        var (h0, h1) = ClMul(aHi, bHi);
        var (m0, m1) = ClMul(aLo ^ aHi, bLo ^ bHi);
        m0 ^= l0 ^ h0;
        m1 ^= l1 ^ h1;
        return Reduce(l0, l1 ^ m0, h0 ^ m1, h1);
    }

    private static (ulong Lo, ulong Hi) DotPclmul(ulong aLo, ulong aHi, ulong bLo, ulong bHi)
    {
        var a = Vector128.Create(aLo, aHi);
        var b = Vector128.Create(bLo, bHi);
        var lo = Pclmulqdq.CarrylessMultiply(a, b, 0x00);
        var hi = Pclmulqdq.CarrylessMultiply(a, b, 0x11);
        var mid = Pclmulqdq.CarrylessMultiply(a, b, 0x01) ^ Pclmulqdq.CarrylessMultiply(a, b, 0x10);
        ulong x0 = lo.GetElement(0);
        ulong x1 = lo.GetElement(1) ^ mid.GetElement(0);
        ulong x2 = hi.GetElement(0) ^ mid.GetElement(1);
        ulong x3 = hi.GetElement(1);

        // Montgomery reduction, one 64-bit word at a time (see Reduce).
        var t = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(x0), Vector128.CreateScalar(ReductionConstant), 0x00);
        x1 ^= t.GetElement(0);
        x2 ^= t.GetElement(1) ^ x0;
        t = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(x1), Vector128.CreateScalar(ReductionConstant), 0x00);
        x2 ^= t.GetElement(0);
        x3 ^= t.GetElement(1) ^ x1;
        return (x2, x3);
    }

    /// <summary>
    /// Divides the 256-bit product x3:x2:x1:x0 by x^128 modulo P. P ≡ 1 (mod x^64), so adding x0·P clears the
    /// low word; x0·P = x0·x^128 + x0·x^64·(x^63 + x^62 + x^57) + x0. The same step then clears x1.
    /// </summary>
    private static (ulong Lo, ulong Hi) Reduce(ulong x0, ulong x1, ulong x2, ulong x3)
    {
        var (t0, t1) = ClMul(x0, ReductionConstant);
        x1 ^= t0;
        x2 ^= t1 ^ x0;
        (t0, t1) = ClMul(x1, ReductionConstant);
        x2 ^= t0;
        x3 ^= t1 ^ x1;
        return (x2, x3);
    }

    /// <summary>Constant-time 64x64 → 128 carry-less product.</summary>
    internal static (ulong Lo, ulong Hi) ClMul(ulong x, ulong y)
    {
        ulong lo = ClMulLow(x, y);
        ulong hi = ReverseBits(ClMulLow(ReverseBits(x), ReverseBits(y))) >> 1;
        return (lo, hi);
    }

    /// <summary>
    /// Low 64 bits of the carry-less product. Each operand is split into four masks whose set bits are four
    /// apart, so the integer products of two masks cannot carry into the bits that are kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ClMulLow(ulong x, ulong y)
    {
        const ulong M0 = 0x1111111111111111UL, M1 = 0x2222222222222222UL, M2 = 0x4444444444444444UL, M3 = 0x8888888888888888UL;
        ulong x0 = x & M0, x1 = x & M1, x2 = x & M2, x3 = x & M3;
        ulong y0 = y & M0, y1 = y & M1, y2 = y & M2, y3 = y & M3;
        ulong z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
        ulong z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
        ulong z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
        ulong z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
        return (z0 & M0) | (z1 & M1) | (z2 & M2) | (z3 & M3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReverseBits(ulong v)
    {
        v = ((v >> 1) & 0x5555555555555555UL) | ((v & 0x5555555555555555UL) << 1);
        v = ((v >> 2) & 0x3333333333333333UL) | ((v & 0x3333333333333333UL) << 2);
        v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FUL) | ((v & 0x0F0F0F0F0F0F0F0FUL) << 4);
        return BinaryPrimitives.ReverseEndianness(v);
    }
}
