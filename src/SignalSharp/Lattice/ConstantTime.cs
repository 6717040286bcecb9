namespace SignalSharp.Lattice;

/// <summary>Branch-free comparison and selection used by implicit rejection in decapsulation.</summary>
internal static class ConstantTime
{
    /// <summary>Returns −1 (all bits set) when the spans are equal and 0 otherwise, reading every byte.</summary>
    public static int EqualMask(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int difference = 0;
        for (int i = 0; i < a.Length; i++)
        {
            difference |= a[i] ^ b[i];
        }

        // difference is in [0, 255]: difference − 1 is negative exactly when it is 0.
        return (difference - 1) >> 31;
    }

    /// <summary>destination[i] ← mask ? whenSet[i] : whenClear[i] for a mask of −1 or 0.</summary>
    public static void Select(Span<byte> destination, ReadOnlySpan<byte> whenSet, ReadOnlySpan<byte> whenClear, int mask)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)((whenSet[i] & mask) | (whenClear[i] & ~mask));
        }
    }
}
