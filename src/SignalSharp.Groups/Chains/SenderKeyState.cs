using System.Security.Cryptography;
using Google.Protobuf;
using SignalSharp;
using SignalSharp.Groups.Protos;

namespace SignalSharp.Groups.Chains;

/// <summary>
/// One sender chain as a receiver (or the sender itself) holds it: chain id, the next chain link, the key that
/// verifies message signatures (plus the signing private key in the sender's own state), and the seeds of
/// messages skipped over so that they can still be decrypted when they arrive late.
/// </summary>
internal sealed class SenderKeyState : IDisposable
{
    /// <summary>How many skipped message seeds a state keeps; older ones are dropped first.</summary>
    internal const int MaxSkippedKeys = 2000;

    /// <summary>How far ahead of the chain a message may be (larger jumps are refused as a denial of service).</summary>
    internal const uint MaxForwardJump = 25_000;

    // Ascending by iteration: seeds are only ever added while walking forward.
    private readonly List<SkippedSeed> _skipped;

    internal SenderKeyState(byte messageVersion, uint chainId, SenderChainKey chainKey, EcPublicKey signingPublicKey, EcPrivateKey? signingPrivateKey)
        : this(messageVersion, chainId, chainKey, signingPublicKey, signingPrivateKey, [])
    {
    }

    private SenderKeyState(byte messageVersion, uint chainId, SenderChainKey chainKey, EcPublicKey signingPublicKey, EcPrivateKey? signingPrivateKey, List<SkippedSeed> skipped)
    {
        MessageVersion = messageVersion;
        ChainId = chainId;
        ChainKey = chainKey;
        SigningPublicKey = signingPublicKey;
        SigningPrivateKey = signingPrivateKey;
        _skipped = skipped;
    }

    /// <summary>The sender-key message version of this chain (3).</summary>
    internal byte MessageVersion { get; }

    /// <summary>The random 31-bit chain id chosen by the sender.</summary>
    internal uint ChainId { get; }

    /// <summary>The next chain link (its iteration is the next message the chain expects or sends).</summary>
    internal SenderChainKey ChainKey { get; private set; }

    /// <summary>The key that verifies this chain's message signatures.</summary>
    internal EcPublicKey SigningPublicKey { get; }

    /// <summary>The signing key, present only in the sender's own state.</summary>
    internal EcPrivateKey? SigningPrivateKey { get; }

    /// <summary>How many skipped seeds are stored.</summary>
    internal int SkippedKeyCount => _skipped.Count;

    /// <summary>Returns the key for the next outgoing message and advances the chain.</summary>
    /// <exception cref="InvalidMessageException">The chain is exhausted.</exception>
    internal SenderMessageKey NextSendingKey()
    {
        var (messageKey, next) = ChainKey.Step();
        Advance(next);
        return messageKey;
    }

    /// <summary>
    /// Returns the key for a received message at <paramref name="iteration"/>, consuming a stored skipped seed or
    /// walking the chain forward (and storing the seeds passed over). Mutates this state: callers work on a copy
    /// and keep it only if the message then decrypts.
    /// </summary>
    /// <exception cref="DuplicateMessageException">The iteration is behind the chain and its seed was already used.</exception>
    /// <exception cref="InvalidMessageException">The iteration is too far ahead.</exception>
    internal SenderMessageKey TakeReceivingKey(uint iteration)
    {
        uint current = ChainKey.Iteration;
        if (iteration < current)
        {
            int index = FindSkipped(iteration);
            if (index < 0)
            {
                throw new DuplicateMessageException($"sender key message at iteration {iteration} was already received (chain is at {current})");
            }

            var seed = _skipped[index].Seed;
            _skipped.RemoveAt(index);
            var key = new SenderMessageKey(iteration, seed);
            CryptographicOperations.ZeroMemory(seed);
            return key;
        }

        if (iteration - current > MaxForwardJump)
        {
            throw new InvalidMessageException($"sender key message at iteration {iteration} is more than {MaxForwardJump} ahead of the chain ({current})");
        }

        // Seeds further back than the storage limit would be dropped immediately, so they are never stored.
        uint firstStored = iteration - current > MaxSkippedKeys ? iteration - MaxSkippedKeys : current;
        var link = ChainKey.Clone();
        while (link.Iteration < iteration)
        {
            if (link.Iteration >= firstStored)
            {
                var seed = new byte[SenderMessageKey.SeedLength];
                link.ComputeMessageSeed(seed);
                _skipped.Add(new SkippedSeed(link.Iteration, seed));
            }

            var next = link.Next();
            link.Dispose();
            link = next;
        }

        if (_skipped.Count > MaxSkippedKeys)
        {
            int excess = _skipped.Count - MaxSkippedKeys;
            for (int i = 0; i < excess; i++)
            {
                CryptographicOperations.ZeroMemory(_skipped[i].Seed);
            }

            _skipped.RemoveRange(0, excess);
        }

        try
        {
            var (messageKey, next) = link.Step();
            Advance(next);
            return messageKey;
        }
        finally
        {
            link.Dispose();
        }
    }

    /// <summary>An independent deep copy.</summary>
    internal SenderKeyState Clone()
    {
        var skipped = new List<SkippedSeed>(_skipped.Count);
        foreach (var s in _skipped)
        {
            skipped.Add(new SkippedSeed(s.Iteration, (byte[])s.Seed.Clone()));
        }

        return new SenderKeyState(MessageVersion, ChainId, ChainKey.Clone(), SigningPublicKey, ClonePrivate(SigningPrivateKey), skipped);
    }

    /// <summary>The local storage form.</summary>
    internal SenderKeyStateData ToData()
    {
        var data = new SenderKeyStateData
        {
            MessageVersion = MessageVersion,
            ChainId = ChainId,
            ChainIteration = ChainKey.Iteration,
            ChainKey = ByteString.CopyFrom(ChainKey.Key),
            SigningPublicKey = ByteString.CopyFrom(SigningPublicKey.Serialize()),
        };
        if (SigningPrivateKey is not null)
        {
            byte[] priv = SigningPrivateKey.Serialize();
            data.SigningPrivateKey = ByteString.CopyFrom(priv);
            CryptographicOperations.ZeroMemory(priv);
        }

        foreach (var s in _skipped)
        {
            data.SkippedKeys.Add(new SkippedMessageKeyData { Iteration = s.Iteration, Seed = ByteString.CopyFrom(s.Seed) });
        }

        return data;
    }

    /// <summary>Rebuilds a state from its local storage form.</summary>
    /// <exception cref="SignalProtocolException">The stored state is inconsistent.</exception>
    internal static SenderKeyState FromData(SenderKeyStateData data)
    {
        if (data.MessageVersion is < 1 or > 15 || data.ChainKey.Length != SenderChainKey.KeyLength)
        {
            throw new SignalProtocolException("stored sender key state is corrupt");
        }

        if (data.SkippedKeys.Count > MaxSkippedKeys)
        {
            throw new SignalProtocolException("stored sender key state holds too many skipped keys");
        }

        EcPublicKey signingPublic;
        EcPrivateKey? signingPrivate = null;
        try
        {
            signingPublic = EcPublicKey.Deserialize(data.SigningPublicKey.Span);
            if (!data.SigningPrivateKey.IsEmpty)
            {
                signingPrivate = EcPrivateKey.Deserialize(data.SigningPrivateKey.Span);
            }
        }
        catch (InvalidKeyException e)
        {
            throw new SignalProtocolException("stored sender key state has an invalid signing key", e);
        }

        var skipped = new List<SkippedSeed>(data.SkippedKeys.Count);
        uint previous = 0;
        foreach (var s in data.SkippedKeys)
        {
            if (s.Seed.Length != SenderMessageKey.SeedLength || s.Iteration >= data.ChainIteration || (skipped.Count > 0 && s.Iteration <= previous))
            {
                signingPrivate?.Dispose();
                throw new SignalProtocolException("stored sender key state has an invalid skipped key");
            }

            skipped.Add(new SkippedSeed(s.Iteration, s.Seed.ToByteArray()));
            previous = s.Iteration;
        }

        var chainKey = new SenderChainKey(data.ChainIteration, data.ChainKey.Span);
        return new SenderKeyState((byte)data.MessageVersion, data.ChainId, chainKey, signingPublic, signingPrivate, skipped);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ChainKey.Dispose();
        SigningPrivateKey?.Dispose();
        foreach (var s in _skipped)
        {
            CryptographicOperations.ZeroMemory(s.Seed);
        }

        _skipped.Clear();
    }

    private static EcPrivateKey? ClonePrivate(EcPrivateKey? key) => key?.Clone();

    private void Advance(SenderChainKey next)
    {
        ChainKey.Dispose();
        ChainKey = next;
    }

    private int FindSkipped(uint iteration)
    {
        int lo = 0;
        int hi = _skipped.Count - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            uint value = _skipped[mid].Iteration;
            if (value == iteration)
            {
                return mid;
            }

            if (value < iteration)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    private readonly record struct SkippedSeed(uint Iteration, byte[] Seed);
}
