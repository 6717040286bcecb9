using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Spqr;

/// <summary>
/// One direction of one chain epoch: the last index handed out, the chain key that yields the next one,
/// and message keys kept for skipped indices. Immutable; the skipped-key map is persistent, so a step
/// that skips nothing shares it with the previous instance.
/// </summary>
internal sealed class DirectionalChain
{
    /// <summary>Size of chain keys and message keys.</summary>
    internal const int KeySize = 32;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] next;

    internal DirectionalChain(uint counter, byte[] next, ImmutableSortedDictionary<uint, byte[]> skipped)
    {
        if (next.Length != KeySize)
        {
            throw new InvalidMessageException("SPQR chain key must be 32 bytes");
        }

        Counter = counter;
        this.next = next;
        Skipped = skipped;
    }

    /// <summary>A fresh chain whose first key will have index 1.</summary>
    internal static DirectionalChain Start(ReadOnlySpan<byte> chainKey)
        => new(0, chainKey.ToArray(), ImmutableSortedDictionary<uint, byte[]>.Empty);

    /// <summary>The index of the last key derived (0 before the first).</summary>
    internal uint Counter { get; }

    /// <summary>The chain key for the next step (for serialization).</summary>
    internal ReadOnlySpan<byte> NextKey => next;

    /// <summary>Message keys of skipped indices, by index.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    internal ImmutableSortedDictionary<uint, byte[]> Skipped { get; }

    /// <summary>Derives the key with index Counter + 1 (the sending side) into <paramref name="key"/> (32 bytes).</summary>
    internal DirectionalChain Step(out uint index, Span<byte> key)
    {
        if (Counter == uint.MaxValue)
        {
            throw new InvalidMessageException("SPQR chain is exhausted");
        }

        index = Counter + 1;
        var nextKey = new byte[KeySize];
        Derive(next, index, nextKey, key);
        return new DirectionalChain(index, nextKey, Skipped);
    }

    /// <summary>
    /// The key for <paramref name="index"/> on the receiving side: a stored skipped key (consumed) or a new
    /// one further along the chain, storing the keys passed over.
    /// </summary>
    /// <exception cref="DuplicateMessageException">The key was already handed out.</exception>
    /// <exception cref="InvalidMessageException">The index is 0, too old, too far ahead, or the walk to it exceeds <paramref name="budget"/>.</exception>
    internal DirectionalChain KeyAt(uint index, uint maxJump, int maxStoredKeys, DerivationBudget? budget, out byte[] key)
    {
        if (index == 0)
        {
            throw new InvalidMessageException("SPQR key index 0 is invalid");
        }

        if (index <= Counter)
        {
            if (Skipped.TryGetValue(index, out var stored))
            {
                key = stored.ToArray();
                return new DirectionalChain(Counter, next, Skipped.Remove(index));
            }

            // A key is only dropped when maxStoredKeys + 1 skipped keys, all below the counter, are stored and
            // it is the smallest, so dropped indices are at most Counter - maxStoredKeys - 1: a missing index
            // above that was handed out before.
            if ((ulong)index + (ulong)maxStoredKeys >= Counter)
            {
                throw new DuplicateMessageException($"SPQR key {index} was already used");
            }

            throw new InvalidMessageException($"SPQR key {index} is too old and was discarded");
        }

        if (index - Counter > maxJump)
        {
            throw new InvalidMessageException($"SPQR key {index} is too far ahead of {Counter}");
        }

        budget?.Take(index - Counter);

        // The walk runs on the stack: only keys that will be stored get arrays, so a forged index far ahead costs
        // derivations but no garbage. Keys more than maxStoredKeys below the target would be trimmed at once:
        // derive, don't store.
        Span<byte> chainKey = stackalloc byte[KeySize];
        Span<byte> following = stackalloc byte[KeySize];
        Span<byte> passedKey = stackalloc byte[KeySize];
        next.CopyTo(chainKey);
        ImmutableSortedDictionary<uint, byte[]>.Builder? builder = null;
        uint firstStored = index - 1 >= (uint)maxStoredKeys ? index - (uint)maxStoredKeys : 1;
        try
        {
            for (uint i = Counter + 1; i < index; i++)
            {
                Derive(chainKey, i, following, passedKey);
                following.CopyTo(chainKey);
                if (i >= firstStored)
                {
                    builder ??= Skipped.ToBuilder();
                    builder[i] = passedKey.ToArray();
                }
            }

            var nextKey = new byte[KeySize];
            key = new byte[KeySize];
            Derive(chainKey, index, nextKey, key);
            var skipped = Skipped;
            if (builder is not null)
            {
                while (builder.Count > maxStoredKeys)
                {
                    builder.Remove(builder.Keys.First());
                }

                skipped = builder.ToImmutable();
            }

            return new DirectionalChain(index, nextKey, skipped);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(chainKey);
            CryptographicOperations.ZeroMemory(following);
            CryptographicOperations.ZeroMemory(passedKey);
        }
    }

    /// <summary>This direction without its <paramref name="count"/> oldest (lowest-index) skipped keys.</summary>
    internal DirectionalChain WithoutOldestSkipped(int count)
        => count <= 0 ? this : new(Counter, next, Skipped.RemoveRange(Skipped.Keys.Take(count).ToArray()));

    /// <summary>One chain step: HKDF(salt 0³², chain key, BE32(index) ‖ "…Chain Next", 64) = next ‖ key.</summary>
    internal static void Derive(ReadOnlySpan<byte> chainKey, uint index, Span<byte> nextKey, Span<byte> messageKey)
    {
        Span<byte> info = stackalloc byte[4 + SpqrLabels.ChainNext.Length];
        BinaryPrimitives.WriteUInt32BigEndian(info, index);
        SpqrLabels.ChainNext.CopyTo(info[4..]);
        Span<byte> output = stackalloc byte[2 * KeySize];
        SignalHkdf.DeriveKey(chainKey, SpqrLabels.ZeroSalt, info, output);
        output[..KeySize].CopyTo(nextKey);
        output[KeySize..].CopyTo(messageKey);
        CryptographicOperations.ZeroMemory(output);
    }
}
