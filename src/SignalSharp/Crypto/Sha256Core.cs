using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>
/// The SHA-256 compression function (FIPS 180-4 §6.2) on up to four independent states at once: lane i of every
/// 128-bit vector belongs to the i-th (state, block) pair. HMAC uses it for the inner and outer padded-key
/// states together, and for the two HMACs of a chain step; the ratchets hash a few dozen bytes at a time, where
/// the platform's one-shot calls spend most of their time in per-call setup rather than in hashing.
/// </summary>
/// <remarks>
/// Constant time: only additions, rotations and bitwise operations on the data; no branches or table lookups
/// depend on it. Callers wipe states derived from secret keys.
/// </remarks>
internal static class Sha256Core
{
    public const int BlockSize = 64;
    public const int DigestSize = 32;
    public const int StateWords = 8;

    private static ReadOnlySpan<uint> InitialState =>
    [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];

    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>Sets every lane of <paramref name="state"/> to the SHA-256 initial value.</summary>
    public static void Initialize(Span<Vector128<uint>> state)
    {
        for (int i = 0; i < StateWords; i++)
        {
            state[i] = Vector128.Create(InitialState[i]);
        }
    }

    /// <summary>Loads the 64-byte <paramref name="block"/> as the message words of lane <paramref name="lane"/>.</summary>
    public static void LoadBlock(Span<Vector128<uint>> w, int lane, ReadOnlySpan<byte> block)
    {
        var words = MemoryMarshal.Cast<Vector128<uint>, uint>(w);
        for (int t = 0; t < 16; t++)
        {
            words[(4 * t) + lane] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(4 * t, 4));
        }
    }

    /// <summary>Writes lane <paramref name="lane"/> of <paramref name="state"/> as a 32-byte digest.</summary>
    public static void StoreDigest(ReadOnlySpan<Vector128<uint>> state, int lane, Span<byte> digest)
    {
        for (int i = 0; i < StateWords; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest.Slice(4 * i, 4), state[i].GetElement(lane));
        }
    }

    /// <summary>
    /// Hashes <paramref name="data"/> into lane <paramref name="lane"/> of <paramref name="state"/>, which has already
    /// absorbed <paramref name="prefixLength"/> bytes (a multiple of 64), and applies the final padding; the digest is
    /// then in that lane (<see cref="StoreDigest"/>). Other lanes are compressed too and hold garbage afterwards.
    /// </summary>
    [SkipLocalsInit]
    public static void Finish(Span<Vector128<uint>> state, int lane, long prefixLength, ReadOnlySpan<byte> data)
    {
        Span<Vector128<uint>> w = stackalloc Vector128<uint>[64];
        int full = data.Length & ~(BlockSize - 1);
        for (int offset = 0; offset < full; offset += BlockSize)
        {
            LoadBlock(w, lane, data.Slice(offset, BlockSize));
            Compress(state, w);
        }

        // The tail, 0x80, zeros and the 64-bit big-endian bit length: one or two blocks.
        Span<byte> last = stackalloc byte[2 * BlockSize];
        int rest = data.Length - full;
        int blocks = rest + 9 > BlockSize ? 2 : 1;
        var tail = last[..(blocks * BlockSize)];
        tail.Clear();
        data[full..].CopyTo(tail);
        tail[rest] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(tail[^8..], (ulong)(prefixLength + data.Length) * 8);
        LoadBlock(w, lane, tail[..BlockSize]);
        Compress(state, w);
        if (blocks == 2)
        {
            LoadBlock(w, lane, tail[BlockSize..]);
            Compress(state, w);
        }

        CryptographicOperations.ZeroMemory(tail);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(w));
    }

    /// <summary>
    /// One compression per lane: state += compress(state, w[0..15]); w[16..63] is overwritten with the message
    /// schedule.
    /// </summary>
    public static void Compress(Span<Vector128<uint>> state, Span<Vector128<uint>> w)
    {
        var k = RoundConstants;
        var a = state[0];
        var b = state[1];
        var c = state[2];
        var d = state[3];
        var e = state[4];
        var f = state[5];
        var g = state[6];
        var h = state[7];

        // Unrolled by eight with the variables renamed; the schedule for the next eight words is computed per
        // block of eight so that it executes in the shadow of the latency-bound rounds.
        for (int t = 0; t < 64; t += 8)
        {
            if (t >= 16)
            {
                for (int j = t; j < t + 8; j++)
                {
                    var w15 = w[j - 15];
                    var w2 = w[j - 2];
                    var s0 = Xor3(Ror(w15, 7), Ror(w15, 18), Vector128.ShiftRightLogical(w15, 3));
                    var s1 = Xor3(Ror(w2, 17), Ror(w2, 19), Vector128.ShiftRightLogical(w2, 10));
                    w[j] = w[j - 16] + s0 + w[j - 7] + s1;
                }
            }

            Round(a, b, c, ref d, e, f, g, ref h, w[t] + Vector128.Create(k[t]));
            Round(h, a, b, ref c, d, e, f, ref g, w[t + 1] + Vector128.Create(k[t + 1]));
            Round(g, h, a, ref b, c, d, e, ref f, w[t + 2] + Vector128.Create(k[t + 2]));
            Round(f, g, h, ref a, b, c, d, ref e, w[t + 3] + Vector128.Create(k[t + 3]));
            Round(e, f, g, ref h, a, b, c, ref d, w[t + 4] + Vector128.Create(k[t + 4]));
            Round(d, e, f, ref g, h, a, b, ref c, w[t + 5] + Vector128.Create(k[t + 5]));
            Round(c, d, e, ref f, g, h, a, ref b, w[t + 6] + Vector128.Create(k[t + 6]));
            Round(b, c, d, ref e, f, g, h, ref a, w[t + 7] + Vector128.Create(k[t + 7]));
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    /// <summary>One round; h + K + W is summed first because it is ready long before e is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        Vector128<uint> a,
        Vector128<uint> b,
        Vector128<uint> c,
        ref Vector128<uint> d,
        Vector128<uint> e,
        Vector128<uint> f,
        Vector128<uint> g,
        ref Vector128<uint> h,
        Vector128<uint> kw)
    {
        var t1 = h + kw;
        t1 += Choose(e, f, g);
        t1 += Xor3(Ror(e, 6), Ror(e, 11), Ror(e, 25));
        d += t1;
        h = t1 + Majority(a, b, c) + Xor3(Ror(a, 2), Ror(a, 13), Ror(a, 22));
    }

    // One vpternlogd each where AVX-512 is there (the truth tables of the three-input functions).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Choose(Vector128<uint> e, Vector128<uint> f, Vector128<uint> g)
        => Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(e, f, g, 0xCA) : (e & f) ^ Vector128.AndNot(g, e);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Majority(Vector128<uint> a, Vector128<uint> b, Vector128<uint> c)
        => Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0xE8) : (a & b) ^ (a & c) ^ (b & c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Xor3(Vector128<uint> x, Vector128<uint> y, Vector128<uint> z)
        => Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(x, y, z, 0x96) : x ^ y ^ z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Ror(Vector128<uint> x, [ConstantExpected] byte n)
        => Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateRight(x, n)
            : Vector128.ShiftRightLogical(x, n) | Vector128.ShiftLeft(x, 32 - n);
}
