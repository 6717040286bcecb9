using System.Security.Cryptography;
using SignalSharp.Diagnostics;
using SignalSharp.Ratchet;

namespace SignalSharp.Groups.Chains;

/// <summary>
/// One link of a sender-key hash chain. The step is the Double Ratchet's symmetric step (<see cref="ChainKdf"/>:
/// message seed = HMAC-SHA256(key, 0x01), next key = HMAC-SHA256(key, 0x02)), shared so that 1:1 and group
/// chains cannot drift apart. Knowing a link gives every later message key and none of the earlier ones.
/// </summary>
internal sealed class SenderChainKey : IDisposable
{
    internal const int KeyLength = ChainKdf.KeySize;

    private readonly byte[] _key;

    internal SenderChainKey(uint iteration, ReadOnlySpan<byte> key)
        : this(iteration, CheckedCopy(key))
    {
    }

    /// <summary>Takes ownership of <paramref name="key"/> (32 bytes).</summary>
    private SenderChainKey(uint iteration, byte[] key)
    {
        Iteration = iteration;
        _key = key;
    }

    /// <summary>The iteration of the next message this link encrypts.</summary>
    internal uint Iteration { get; }

    /// <summary>The 32-byte chain key.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>
    /// The message key for this link's iteration and the following link, from one keyed HMAC context
    /// (what sending and receiving need).
    /// </summary>
    /// <exception cref="InvalidMessageException">The chain is at the largest iteration a message can carry.</exception>
    internal (SenderMessageKey MessageKey, SenderChainKey Next) Step()
    {
        ThrowIfExhausted(Iteration);
        Span<byte> seed = stackalloc byte[SenderMessageKey.SeedLength];
        try
        {
            byte[] next = ChainKdf.Step(_key, seed);
            ProtocolTrace.Sink?.Record("sender_key.chain_key", _key);
            return (new SenderMessageKey(Iteration, seed), new SenderChainKey(Iteration + 1, next));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>An independent copy.</summary>
    internal SenderChainKey Clone() => new(Iteration, (byte[])_key.Clone());

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private static byte[] CheckedCopy(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new InvalidKeyException($"sender chain key must be {KeyLength} bytes, got {key.Length}");
        }

        return key.ToArray();
    }

    private static void ThrowIfExhausted(uint iteration)
    {
        if (iteration == uint.MaxValue)
        {
            throw new InvalidMessageException("sender chain is exhausted");
        }
    }
}
