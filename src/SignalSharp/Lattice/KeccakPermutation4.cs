using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.Lattice;

/// <summary>
/// Keccak-f[1600] on four independent states at once: lane i of each of the 25 vectors is word w of state i.
/// The same steps as <see cref="KeccakPermutation"/>; used to sample four matrix entries side by side.
/// </summary>
internal static class KeccakPermutation4
{
    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    /// <summary>Whether the vector path pays off here (it needs 256-bit integer vectors).</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Applies the permutation to the four states in <paramref name="s"/> (25 vectors).</summary>
    [SkipLocalsInit]
    public static void Permute(Span<Vector256<ulong>> s)
    {
        s = s[..25];
        var a0 = s[0]; var a1 = s[1]; var a2 = s[2]; var a3 = s[3]; var a4 = s[4];
        var a5 = s[5]; var a6 = s[6]; var a7 = s[7]; var a8 = s[8]; var a9 = s[9];
        var a10 = s[10]; var a11 = s[11]; var a12 = s[12]; var a13 = s[13]; var a14 = s[14];
        var a15 = s[15]; var a16 = s[16]; var a17 = s[17]; var a18 = s[18]; var a19 = s[19];
        var a20 = s[20]; var a21 = s[21]; var a22 = s[22]; var a23 = s[23]; var a24 = s[24];
        var rc = RoundConstants;
        for (int round = 0; round < 24; round++)
        {
            var c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
            var c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
            var c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
            var c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
            var c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
            var d0 = c4 ^ Rol(c1, 1);
            var d1 = c0 ^ Rol(c2, 1);
            var d2 = c1 ^ Rol(c3, 1);
            var d3 = c2 ^ Rol(c4, 1);
            var d4 = c3 ^ Rol(c0, 1);
            var b0 = a0 ^ d0;
            var b10 = Rol(a1 ^ d1, 1);
            var b20 = Rol(a2 ^ d2, 62);
            var b5 = Rol(a3 ^ d3, 28);
            var b15 = Rol(a4 ^ d4, 27);
            var b16 = Rol(a5 ^ d0, 36);
            var b1 = Rol(a6 ^ d1, 44);
            var b11 = Rol(a7 ^ d2, 6);
            var b21 = Rol(a8 ^ d3, 55);
            var b6 = Rol(a9 ^ d4, 20);
            var b7 = Rol(a10 ^ d0, 3);
            var b17 = Rol(a11 ^ d1, 10);
            var b2 = Rol(a12 ^ d2, 43);
            var b12 = Rol(a13 ^ d3, 25);
            var b22 = Rol(a14 ^ d4, 39);
            var b23 = Rol(a15 ^ d0, 41);
            var b8 = Rol(a16 ^ d1, 45);
            var b18 = Rol(a17 ^ d2, 15);
            var b3 = Rol(a18 ^ d3, 21);
            var b13 = Rol(a19 ^ d4, 8);
            var b14 = Rol(a20 ^ d0, 18);
            var b24 = Rol(a21 ^ d1, 2);
            var b9 = Rol(a22 ^ d2, 61);
            var b19 = Rol(a23 ^ d3, 56);
            var b4 = Rol(a24 ^ d4, 14);
            a0 = b0 ^ Vector256.AndNot(b2, b1) ^ Vector256.Create(rc[round]);
            a1 = b1 ^ Vector256.AndNot(b3, b2);
            a2 = b2 ^ Vector256.AndNot(b4, b3);
            a3 = b3 ^ Vector256.AndNot(b0, b4);
            a4 = b4 ^ Vector256.AndNot(b1, b0);
            a5 = b5 ^ Vector256.AndNot(b7, b6);
            a6 = b6 ^ Vector256.AndNot(b8, b7);
            a7 = b7 ^ Vector256.AndNot(b9, b8);
            a8 = b8 ^ Vector256.AndNot(b5, b9);
            a9 = b9 ^ Vector256.AndNot(b6, b5);
            a10 = b10 ^ Vector256.AndNot(b12, b11);
            a11 = b11 ^ Vector256.AndNot(b13, b12);
            a12 = b12 ^ Vector256.AndNot(b14, b13);
            a13 = b13 ^ Vector256.AndNot(b10, b14);
            a14 = b14 ^ Vector256.AndNot(b11, b10);
            a15 = b15 ^ Vector256.AndNot(b17, b16);
            a16 = b16 ^ Vector256.AndNot(b18, b17);
            a17 = b17 ^ Vector256.AndNot(b19, b18);
            a18 = b18 ^ Vector256.AndNot(b15, b19);
            a19 = b19 ^ Vector256.AndNot(b16, b15);
            a20 = b20 ^ Vector256.AndNot(b22, b21);
            a21 = b21 ^ Vector256.AndNot(b23, b22);
            a22 = b22 ^ Vector256.AndNot(b24, b23);
            a23 = b23 ^ Vector256.AndNot(b20, b24);
            a24 = b24 ^ Vector256.AndNot(b21, b20);
        }

        s[0] = a0; s[1] = a1; s[2] = a2; s[3] = a3; s[4] = a4;
        s[5] = a5; s[6] = a6; s[7] = a7; s[8] = a8; s[9] = a9;
        s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
        s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
        s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rol(Vector256<ulong> x, [ConstantExpected] byte n)
        => Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateLeft(x, n)
            : Vector256.ShiftLeft(x, n) | Vector256.ShiftRightLogical(x, 64 - n);
}
