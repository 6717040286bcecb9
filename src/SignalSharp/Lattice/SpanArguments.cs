namespace SignalSharp.Lattice;

/// <summary>Length checks shared by the span-based KEM entry points (they throw ArgumentException by contract).</summary>
internal static class SpanArguments
{
    /// <summary>Throws unless an input span has exactly the expected length.</summary>
    public static void RequireExact(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes, got {value.Length}.", name);
        }
    }

    /// <summary>Throws unless an output span can hold the expected length.</summary>
    public static void RequireRoom(Span<byte> value, int length, string name)
    {
        if (value.Length < length)
        {
            throw new ArgumentException($"{name} must have room for {length} bytes, got {value.Length}.", name);
        }
    }
}
