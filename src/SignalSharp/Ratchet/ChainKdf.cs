using SignalSharp.Crypto;

namespace SignalSharp.Ratchet;

/// <summary>The symmetric-key ratchet of the Double Ratchet: HMAC-SHA256 steps of a 32-byte chain key.</summary>
internal static class ChainKdf
{
    /// <summary>Size of chain keys, root keys and message seeds.</summary>
    public const int KeySize = 32;

    private static ReadOnlySpan<byte> MessageSeedInput => [0x01];

    private static ReadOnlySpan<byte> NextChainInput => [0x02];

    /// <summary>
    /// One chain step: writes the message seed HMAC(chainKey, 0x01) to <paramref name="seed"/> (32 bytes, e.g. on
    /// the stack) and returns the next chain key HMAC(chainKey, 0x02), both from one keyed HMAC context.
    /// </summary>
    public static byte[] Step(ReadOnlySpan<byte> chainKey, Span<byte> seed)
    {
        var next = new byte[KeySize];
        HmacSha256.ComputePair(chainKey, MessageSeedInput, seed, NextChainInput, next);
        return next;
    }

    /// <summary>
    /// One step with both outputs written to spans and nothing allocated (two one-shot MACs, slower than the
    /// shared context of <see cref="Step(ReadOnlySpan{byte}, Span{byte})"/> but garbage-free): for walks over
    /// many positions, whose length an unauthenticated message chooses.
    /// </summary>
    public static void Step(ReadOnlySpan<byte> chainKey, Span<byte> seed, Span<byte> next)
    {
        HmacSha256.Compute(chainKey, MessageSeedInput, seed);
        HmacSha256.Compute(chainKey, NextChainInput, next);
    }
}
