using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.Lattice;

/// <summary>
/// Four independent Keccak-f[1600] permutations at once, lane i of every 256-bit vector belonging to instance i
/// (the same round function as <see cref="KeccakPermutation"/>). Used to run four SHAKE instances of the
/// matrix and noise samplers side by side. Constant time like the scalar permutation.
/// </summary>
internal static class KeccakPermutationX4
{
    /// <summary>Whether 256-bit vectors are hardware accelerated (otherwise callers use the scalar sponge).</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>Applies the 24 rounds to 25 lane vectors.</summary>
    /// <param name="state">The first of 25 consecutive lane vectors.</param>
    public static void Permute(ref Vector256<ulong> state)
    {
        Vector256<ulong> a0 = Unsafe.Add(ref state, 0);
        Vector256<ulong> a1 = Unsafe.Add(ref state, 1);
        Vector256<ulong> a2 = Unsafe.Add(ref state, 2);
        Vector256<ulong> a3 = Unsafe.Add(ref state, 3);
        Vector256<ulong> a4 = Unsafe.Add(ref state, 4);
        Vector256<ulong> a5 = Unsafe.Add(ref state, 5);
        Vector256<ulong> a6 = Unsafe.Add(ref state, 6);
        Vector256<ulong> a7 = Unsafe.Add(ref state, 7);
        Vector256<ulong> a8 = Unsafe.Add(ref state, 8);
        Vector256<ulong> a9 = Unsafe.Add(ref state, 9);
        Vector256<ulong> a10 = Unsafe.Add(ref state, 10);
        Vector256<ulong> a11 = Unsafe.Add(ref state, 11);
        Vector256<ulong> a12 = Unsafe.Add(ref state, 12);
        Vector256<ulong> a13 = Unsafe.Add(ref state, 13);
        Vector256<ulong> a14 = Unsafe.Add(ref state, 14);
        Vector256<ulong> a15 = Unsafe.Add(ref state, 15);
        Vector256<ulong> a16 = Unsafe.Add(ref state, 16);
        Vector256<ulong> a17 = Unsafe.Add(ref state, 17);
        Vector256<ulong> a18 = Unsafe.Add(ref state, 18);
        Vector256<ulong> a19 = Unsafe.Add(ref state, 19);
        Vector256<ulong> a20 = Unsafe.Add(ref state, 20);
        Vector256<ulong> a21 = Unsafe.Add(ref state, 21);
        Vector256<ulong> a22 = Unsafe.Add(ref state, 22);
        Vector256<ulong> a23 = Unsafe.Add(ref state, 23);
        Vector256<ulong> a24 = Unsafe.Add(ref state, 24);
        ulong[] roundConstants = KeccakPermutation.RoundConstantsTable;
        for (int round = 0; round < 24; round++)
        {
            Vector256<ulong> c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
            Vector256<ulong> c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
            Vector256<ulong> c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
            Vector256<ulong> c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
            Vector256<ulong> c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
            Vector256<ulong> d0 = c4 ^ Rol(c1, 1);
            Vector256<ulong> d1 = c0 ^ Rol(c2, 1);
            Vector256<ulong> d2 = c1 ^ Rol(c3, 1);
            Vector256<ulong> d3 = c2 ^ Rol(c4, 1);
            Vector256<ulong> d4 = c3 ^ Rol(c0, 1);
            Vector256<ulong> b0 = a0 ^ d0;
            Vector256<ulong> b10 = Rol(a1 ^ d1, 1);
            Vector256<ulong> b20 = Rol(a2 ^ d2, 62);
            Vector256<ulong> b5 = Rol(a3 ^ d3, 28);
            Vector256<ulong> b15 = Rol(a4 ^ d4, 27);
            Vector256<ulong> b16 = Rol(a5 ^ d0, 36);
            Vector256<ulong> b1 = Rol(a6 ^ d1, 44);
            Vector256<ulong> b11 = Rol(a7 ^ d2, 6);
            Vector256<ulong> b21 = Rol(a8 ^ d3, 55);
            Vector256<ulong> b6 = Rol(a9 ^ d4, 20);
            Vector256<ulong> b7 = Rol(a10 ^ d0, 3);
            Vector256<ulong> b17 = Rol(a11 ^ d1, 10);
            Vector256<ulong> b2 = Rol(a12 ^ d2, 43);
            Vector256<ulong> b12 = Rol(a13 ^ d3, 25);
            Vector256<ulong> b22 = Rol(a14 ^ d4, 39);
            Vector256<ulong> b23 = Rol(a15 ^ d0, 41);
            Vector256<ulong> b8 = Rol(a16 ^ d1, 45);
            Vector256<ulong> b18 = Rol(a17 ^ d2, 15);
            Vector256<ulong> b3 = Rol(a18 ^ d3, 21);
            Vector256<ulong> b13 = Rol(a19 ^ d4, 8);
            Vector256<ulong> b14 = Rol(a20 ^ d0, 18);
            Vector256<ulong> b24 = Rol(a21 ^ d1, 2);
            Vector256<ulong> b9 = Rol(a22 ^ d2, 61);
            Vector256<ulong> b19 = Rol(a23 ^ d3, 56);
            Vector256<ulong> b4 = Rol(a24 ^ d4, 14);
            a0 = b0 ^ Vector256.AndNot(b2, b1);
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
            a0 ^= Vector256.Create(roundConstants[round]);
        }

        Unsafe.Add(ref state, 0) = a0;
        Unsafe.Add(ref state, 1) = a1;
        Unsafe.Add(ref state, 2) = a2;
        Unsafe.Add(ref state, 3) = a3;
        Unsafe.Add(ref state, 4) = a4;
        Unsafe.Add(ref state, 5) = a5;
        Unsafe.Add(ref state, 6) = a6;
        Unsafe.Add(ref state, 7) = a7;
        Unsafe.Add(ref state, 8) = a8;
        Unsafe.Add(ref state, 9) = a9;
        Unsafe.Add(ref state, 10) = a10;
        Unsafe.Add(ref state, 11) = a11;
        Unsafe.Add(ref state, 12) = a12;
        Unsafe.Add(ref state, 13) = a13;
        Unsafe.Add(ref state, 14) = a14;
        Unsafe.Add(ref state, 15) = a15;
        Unsafe.Add(ref state, 16) = a16;
        Unsafe.Add(ref state, 17) = a17;
        Unsafe.Add(ref state, 18) = a18;
        Unsafe.Add(ref state, 19) = a19;
        Unsafe.Add(ref state, 20) = a20;
        Unsafe.Add(ref state, 21) = a21;
        Unsafe.Add(ref state, 22) = a22;
        Unsafe.Add(ref state, 23) = a23;
        Unsafe.Add(ref state, 24) = a24;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rol(Vector256<ulong> value, [ConstantExpected(Min = 1, Max = 63)] byte count)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.RotateLeft(value, count);
        }

        return Vector256.ShiftLeft(value, count) | Vector256.ShiftRightLogical(value, 64 - count);
    }
}
