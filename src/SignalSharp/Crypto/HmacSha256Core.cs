using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>
/// HMAC-SHA256 (RFC 2104) on <see cref="Sha256Core"/>. A key becomes its inner and outer padded-key states in one
/// two-lane compression; each MAC under it then costs the data's blocks plus one outer block, and two short MACs
/// under the same key (a chain step) run side by side in two lanes.
/// </summary>
internal static class HmacSha256Core
{
    /// <summary>Vectors of a key state: lane 0 holds the inner padded-key state, lane 1 the outer one.</summary>
    public const int KeyStateVectors = Sha256Core.StateWords;

    /// <summary>The longest data <see cref="ComputePair"/> takes: it must fit one block with its padding.</summary>
    public const int MaxPairDataLength = Sha256Core.BlockSize - 9;

    /// <summary>Computes the padded-key states of <paramref name="key"/> (any length; longer than a block is hashed first).</summary>
    [SkipLocalsInit]
    public static void SetKey(ReadOnlySpan<byte> key, Span<Vector128<uint>> keyState)
    {
        Span<byte> pad = stackalloc byte[Sha256Core.BlockSize];
        Span<Vector128<uint>> w = stackalloc Vector128<uint>[64];
        pad.Clear();
        if (key.Length > Sha256Core.BlockSize)
        {
            Sha256Core.Initialize(keyState);
            Sha256Core.Finish(keyState, 0, 0, key);
            Sha256Core.StoreDigest(keyState, 0, pad);
        }
        else
        {
            key.CopyTo(pad);
        }

        for (int i = 0; i < pad.Length; i++)
        {
            pad[i] ^= 0x36;
        }

        Sha256Core.LoadBlock(w, 0, pad);
        for (int i = 0; i < pad.Length; i++)
        {
            pad[i] ^= 0x36 ^ 0x5c;
        }

        Sha256Core.LoadBlock(w, 1, pad);
        Sha256Core.Initialize(keyState);
        Sha256Core.Compress(keyState, w);
        CryptographicOperations.ZeroMemory(pad);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(w));
    }

    /// <summary>HMAC of <paramref name="data"/> under a key state from <see cref="SetKey"/>; writes 32 bytes.</summary>
    [SkipLocalsInit]
    public static void Compute(ReadOnlySpan<Vector128<uint>> keyState, ReadOnlySpan<byte> data, Span<byte> tag)
    {
        Span<Vector128<uint>> state = stackalloc Vector128<uint>[Sha256Core.StateWords];
        Span<byte> inner = stackalloc byte[Sha256Core.DigestSize];
        keyState.CopyTo(state);
        Sha256Core.Finish(state, 0, Sha256Core.BlockSize, data);
        Sha256Core.StoreDigest(state, 0, inner);
        for (int i = 0; i < Sha256Core.StateWords; i++)
        {
            state[i] = Vector128.Create(keyState[i].GetElement(1));
        }

        Sha256Core.Finish(state, 0, Sha256Core.BlockSize, inner);
        Sha256Core.StoreDigest(state, 0, tag);
        CryptographicOperations.ZeroMemory(inner);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(state));
    }

    /// <summary>
    /// Two HMACs under one key state, side by side: <paramref name="tag0"/> = HMAC(<paramref name="data0"/>) and
    /// <paramref name="tag1"/> = HMAC(<paramref name="data1"/>), each at most <see cref="MaxPairDataLength"/> bytes.
    /// </summary>
    [SkipLocalsInit]
    public static void ComputePair(ReadOnlySpan<Vector128<uint>> keyState, ReadOnlySpan<byte> data0, ReadOnlySpan<byte> data1, Span<byte> tag0, Span<byte> tag1)
    {
        if (data0.Length > MaxPairDataLength || data1.Length > MaxPairDataLength)
        {
            throw new ArgumentException("paired HMAC inputs must fit one block");
        }

        Span<Vector128<uint>> state = stackalloc Vector128<uint>[Sha256Core.StateWords];
        Span<Vector128<uint>> w = stackalloc Vector128<uint>[64];
        Span<byte> block = stackalloc byte[Sha256Core.BlockSize];

        for (int i = 0; i < Sha256Core.StateWords; i++)
        {
            state[i] = Vector128.Create(keyState[i].ToScalar());
        }

        LoadFinalBlock(w, 0, data0, block);
        LoadFinalBlock(w, 1, data1, block);
        Sha256Core.Compress(state, w);
        Sha256Core.StoreDigest(state, 0, tag0);
        Sha256Core.StoreDigest(state, 1, tag1);

        for (int i = 0; i < Sha256Core.StateWords; i++)
        {
            state[i] = Vector128.Create(keyState[i].GetElement(1));
        }

        LoadFinalBlock(w, 0, tag0[..Sha256Core.DigestSize], block);
        LoadFinalBlock(w, 1, tag1[..Sha256Core.DigestSize], block);
        Sha256Core.Compress(state, w);
        Sha256Core.StoreDigest(state, 0, tag0);
        Sha256Core.StoreDigest(state, 1, tag1);
        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(w));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(state));
    }

    /// <summary>Pads data that follows one 64-byte key block into a single final block in lane <paramref name="lane"/>.</summary>
    private static void LoadFinalBlock(Span<Vector128<uint>> w, int lane, ReadOnlySpan<byte> data, Span<byte> block)
    {
        block.Clear();
        data.CopyTo(block);
        block[data.Length] = 0x80;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(block[^8..], (ulong)(Sha256Core.BlockSize + data.Length) * 8);
        Sha256Core.LoadBlock(w, lane, block);
    }
}
