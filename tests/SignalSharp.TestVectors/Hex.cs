namespace SignalSharp.TestVectors;

/// <summary>Lower-case hex, the encoding of every byte string in the vectors.</summary>
internal static class Hex
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static byte[] Parse(string hex) => Convert.FromHexString(hex);
}
