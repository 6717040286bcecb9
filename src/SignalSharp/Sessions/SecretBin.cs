using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;

namespace SignalSharp;

/// <summary>
/// A list of secret byte arrays waiting to be wiped: arrays a working copy of a session stopped using while the
/// copy it came from may still hold them (docs/security.md, "Secret ownership"). The backing array is pooled, so
/// a bin costs no allocation in steady state; a bin is a mutable struct and must only be used through a field or a
/// <c>ref</c>. Wiping an array twice is harmless, so an array may be added more than once.
/// </summary>
internal struct SecretBin
{
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private byte[][]? _items;
    private int _count;

    /// <summary>The number of arrays held.</summary>
    public readonly int Count => _count;

    /// <summary>The array at <paramref name="index"/> (for tests and for moving).</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public readonly byte[] this[int index] => _items![index];

    /// <summary>Adds <paramref name="secret"/> (null is ignored).</summary>
    public void Add(byte[]? secret)
    {
        if (secret is null)
        {
            return;
        }

        if (_items is null)
        {
            _items = ArrayPool<byte[]>.Shared.Rent(16);
        }
        else if (_count == _items.Length)
        {
            var larger = ArrayPool<byte[]>.Shared.Rent(_count * 2);
            Array.Copy(_items, larger, _count);
            Array.Clear(_items, 0, _count);
            ArrayPool<byte[]>.Shared.Return(_items);
            _items = larger;
        }

        _items[_count++] = secret;
    }

    /// <summary>Moves every array into <paramref name="other"/>, leaving this bin empty.</summary>
    public void MoveTo(ref SecretBin other)
    {
        for (int i = 0; i < _count; i++)
        {
            other.Add(_items![i]);
        }

        Release();
    }

    /// <summary>Zeroes every array and empties the bin.</summary>
    public void WipeAll()
    {
        for (int i = 0; i < _count; i++)
        {
            CryptographicOperations.ZeroMemory(_items![i]);
        }

        Release();
    }

    /// <summary>Zeroes every array that <paramref name="keep"/> does not hold (by reference) and empties the bin.</summary>
    public void WipeAllExcept(HashSet<byte[]>? keep)
    {
        for (int i = 0; i < _count; i++)
        {
            if (keep is null || !keep.Contains(_items![i]))
            {
                CryptographicOperations.ZeroMemory(_items![i]);
            }
        }

        Release();
    }

    /// <summary>Adds every array to <paramref name="set"/> and empties the bin.</summary>
    public void DrainInto(HashSet<byte[]> set)
    {
        for (int i = 0; i < _count; i++)
        {
            set.Add(_items![i]);
        }

        Release();
    }

    /// <summary>Empties the bin without wiping (the arrays are still in use elsewhere) and returns the pooled array.</summary>
    public void Release()
    {
        if (_items is not null)
        {
            Array.Clear(_items, 0, _count);
            ArrayPool<byte[]>.Shared.Return(_items);
            _items = null;
        }

        _count = 0;
    }

    /// <summary>A set comparing arrays by reference, reused per thread (the rare paths that need one run to completion without awaiting).</summary>
    public static HashSet<byte[]> RentSet()
    {
        var set = t_set ?? new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        t_set = null;
        return set;
    }

    /// <summary>Clears <paramref name="set"/> and keeps it for the next <see cref="RentSet"/> on this thread.</summary>
    public static void ReturnSet(HashSet<byte[]> set)
    {
        set.Clear();
        t_set = set;
    }

    [ThreadStatic]
    private static HashSet<byte[]>? t_set;
}
