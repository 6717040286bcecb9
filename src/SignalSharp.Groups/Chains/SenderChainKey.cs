using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;

namespace SignalSharp.Groups.Chains;

/// <summary>
/// One link of a sender-key hash chain: message seed = HMAC-SHA256(key, 0x01), next key = HMAC-SHA256(key, 0x02).
/// Knowing a link gives every later message key and none of the earlier ones.
/// </summary>
internal sealed class SenderChainKey : IDisposable
{
    internal const int KeyLength = 32;

    private static ReadOnlySpan<byte> MessageSeedInput => [0x01];

    private static ReadOnlySpan<byte> ChainStepInput => [0x02];

    private readonly byte[] _key;

    internal SenderChainKey(uint iteration, ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new InvalidKeyException($"sender chain key must be {KeyLength} bytes, got {key.Length}");
        }

        Iteration = iteration;
        _key = key.ToArray();
    }

    /// <summary>The iteration of the next message this link encrypts.</summary>
    internal uint Iteration { get; }

    /// <summary>The 32-byte chain key.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>Writes this link's 32-byte message seed into <paramref name="seed"/>.</summary>
    internal void ComputeMessageSeed(Span<byte> seed) => HmacSha256.Compute(_key, MessageSeedInput, seed);

    /// <summary>The following link.</summary>
    /// <exception cref="InvalidMessageException">The chain is at the largest iteration a message can carry.</exception>
    internal SenderChainKey Next()
    {
        if (Iteration == uint.MaxValue)
        {
            throw new InvalidMessageException("sender chain is exhausted");
        }

        Span<byte> next = stackalloc byte[KeyLength];
        HmacSha256.Compute(_key, ChainStepInput, next);
        var link = new SenderChainKey(Iteration + 1, next);
        CryptographicOperations.ZeroMemory(next);
        return link;
    }

    /// <summary>
    /// The message key for this link's iteration and the following link, from one keyed HMAC context
    /// (what sending and receiving need; two separate one-shot HMACs would set up the key twice).
    /// </summary>
    /// <exception cref="InvalidMessageException">The chain is at the largest iteration a message can carry.</exception>
    internal (SenderMessageKey MessageKey, SenderChainKey Next) Step()
    {
        if (Iteration == uint.MaxValue)
        {
            throw new InvalidMessageException("sender chain is exhausted");
        }

        Span<byte> seed = stackalloc byte[SenderMessageKey.SeedLength];
        Span<byte> next = stackalloc byte[KeyLength];
        try
        {
            HmacSha256.ComputePair(_key, MessageSeedInput, seed, ChainStepInput, next);
            ProtocolTrace.Sink?.Record("sender_key.chain_key", _key);
            return (new SenderMessageKey(Iteration, seed), new SenderChainKey(Iteration + 1, next));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(next);
        }
    }

    /// <summary>An independent copy.</summary>
    internal SenderChainKey Clone() => new(Iteration, _key);

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
