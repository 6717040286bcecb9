using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace SignalSharp.Fingerprints;

/// <summary>
/// The two iterated SHA-512 chains of a safety number (FIPS 180-4), computed together: lane 0 of every
/// 128-bit vector is the local party's chain, lane 1 the remote one's, so one pass of the compression
/// function advances both.
/// </summary>
/// <remarks>
/// After the first hash every round hashes hᵢ₋₁ ‖ key, 64 + 33 = 97 bytes, which is one padded block whose
/// words 0–7 are exactly the previous digest's state words and whose words 8–15 (key, padding, length) never
/// change. So the chain stays in word form: no byte conversion, no per-call setup, one compression per round.
/// All hashed data is public (identity keys and identifiers), and SHA-512 has no data-dependent branches or
/// lookups anyway.
/// </remarks>
internal static class FingerprintHashChain
{
    private const int HashLength = 64;
    private const int KeyLength = 33;

    private static ReadOnlySpan<ulong> InitialState =>
    [
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
    ];

    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
        0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
        0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
        0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
        0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
        0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
        0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
        0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
        0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
        0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
        0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
        0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
        0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
    ];

    /// <summary>
    /// For each party p: h₀ = SHA-512(prefix ‖ keyₚ ‖ idₚ ‖ keyₚ), hᵢ = SHA-512(hᵢ₋₁ ‖ keyₚ), writing h after
    /// <paramref name="iterations"/> hashes (≥ 1) to the 64-byte outputs.
    /// </summary>
    public static void Compute(
        ReadOnlySpan<byte> prefix,
        ReadOnlySpan<byte> localKey,
        ReadOnlySpan<byte> localId,
        ReadOnlySpan<byte> remoteKey,
        ReadOnlySpan<byte> remoteId,
        int iterations,
        Span<byte> localHash,
        Span<byte> remoteHash)
    {
        if (localKey.Length != KeyLength || remoteKey.Length != KeyLength)
        {
            throw new ArgumentException("identity keys must be 33 bytes");
        }

        FirstHash(prefix, localKey, localId, localHash);
        FirstHash(prefix, remoteKey, remoteId, remoteHash);

        // Words 8–15 of every later block: key (33 bytes), 0x80, zeros, 128-bit big-endian bit length of 97 bytes.
        Span<Vector128<ulong>> tail = stackalloc Vector128<ulong>[8];
        Span<ulong> localTail = stackalloc ulong[8];
        Span<ulong> remoteTail = stackalloc ulong[8];
        TailWords(localKey, localTail);
        TailWords(remoteKey, remoteTail);
        Span<Vector128<ulong>> state = stackalloc Vector128<ulong>[8];
        for (int i = 0; i < 8; i++)
        {
            tail[i] = Vector128.Create(localTail[i], remoteTail[i]);
            state[i] = Vector128.Create(
                BinaryPrimitives.ReadUInt64BigEndian(localHash.Slice(8 * i, 8)),
                BinaryPrimitives.ReadUInt64BigEndian(remoteHash.Slice(8 * i, 8)));
        }

        Span<Vector128<ulong>> w = stackalloc Vector128<ulong>[80];
        for (int round = 1; round < iterations; round++)
        {
            state.CopyTo(w);
            tail.CopyTo(w[8..]);
            Compress(w, state);
        }

        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(localHash.Slice(8 * i, 8), state[i].GetElement(0));
            BinaryPrimitives.WriteUInt64BigEndian(remoteHash.Slice(8 * i, 8), state[i].GetElement(1));
        }
    }

    private static void FirstHash(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key, ReadOnlySpan<byte> id, Span<byte> hash)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        sha.AppendData(prefix);
        sha.AppendData(key);
        sha.AppendData(id);
        sha.AppendData(key);
        sha.GetHashAndReset(hash);
    }

    private static void TailWords(ReadOnlySpan<byte> key, Span<ulong> words)
    {
        Span<byte> block = stackalloc byte[64];
        block.Clear();
        key.CopyTo(block);
        block[KeyLength] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(block[56..], (HashLength + KeyLength) * 8);
        for (int i = 0; i < 8; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64BigEndian(block.Slice(8 * i, 8));
        }
    }

    /// <summary>state = IV + compress(IV, w[0..15]); w[16..79] is the message schedule (scratch).</summary>
    private static void Compress(Span<Vector128<ulong>> w, Span<Vector128<ulong>> state)
    {
        var k = RoundConstants;
        var iv = InitialState;
        var a = Vector128.Create(iv[0]);
        var b = Vector128.Create(iv[1]);
        var c = Vector128.Create(iv[2]);
        var d = Vector128.Create(iv[3]);
        var e = Vector128.Create(iv[4]);
        var f = Vector128.Create(iv[5]);
        var g = Vector128.Create(iv[6]);
        var h = Vector128.Create(iv[7]);

        // Unrolled by eight with the variables renamed instead of shifted. The rounds are latency-bound; the
        // schedule for the next eight words is independent of them, so it is interleaved per block of eight
        // and executes in their shadow.
        for (int t = 0; t < 80; t += 8)
        {
            if (t >= 16)
            {
                for (int j = t; j < t + 8; j++)
                {
                    var w15 = w[j - 15];
                    var w2 = w[j - 2];
                    var s0 = Xor3(Ror(w15, 1), Ror(w15, 8), Vector128.ShiftRightLogical(w15, 7));
                    var s1 = Xor3(Ror(w2, 19), Ror(w2, 61), Vector128.ShiftRightLogical(w2, 6));
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

        state[0] = a + Vector128.Create(iv[0]);
        state[1] = b + Vector128.Create(iv[1]);
        state[2] = c + Vector128.Create(iv[2]);
        state[3] = d + Vector128.Create(iv[3]);
        state[4] = e + Vector128.Create(iv[4]);
        state[5] = f + Vector128.Create(iv[5]);
        state[6] = g + Vector128.Create(iv[6]);
        state[7] = h + Vector128.Create(iv[7]);
    }

    /// <summary>
    /// One round; the sums are ordered so that the e → e dependency is only Σ1/Ch, two additions and d + T1
    /// (h + K + W is ready long before e is).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        Vector128<ulong> a,
        Vector128<ulong> b,
        Vector128<ulong> c,
        ref Vector128<ulong> d,
        Vector128<ulong> e,
        Vector128<ulong> f,
        Vector128<ulong> g,
        ref Vector128<ulong> h,
        Vector128<ulong> kw)
    {
        var t1 = h + kw;
        t1 += Choose(e, f, g);
        t1 += Xor3(Ror(e, 14), Ror(e, 18), Ror(e, 41));
        d += t1;
        h = t1 + Majority(a, b, c) + Xor3(Ror(a, 28), Ror(a, 34), Ror(a, 39));
    }

    // One vpternlogq each where AVX-512 is there (the truth tables of the three-input functions).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Choose(Vector128<ulong> e, Vector128<ulong> f, Vector128<ulong> g)
        => Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(e, f, g, 0xCA) : (e & f) ^ Vector128.AndNot(g, e);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Majority(Vector128<ulong> a, Vector128<ulong> b, Vector128<ulong> c)
        => Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0xE8) : (a & b) ^ (a & c) ^ (b & c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Xor3(Vector128<ulong> x, Vector128<ulong> y, Vector128<ulong> z)
        => Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(x, y, z, 0x96) : x ^ y ^ z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Ror(Vector128<ulong> x, [ConstantExpected] byte n)
        => Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateRight(x, n)
            : Vector128.ShiftRightLogical(x, n) | Vector128.ShiftLeft(x, 64 - n);
}
