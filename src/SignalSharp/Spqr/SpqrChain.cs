using System.Diagnostics;
using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;
using SignalSharp.Sessions;

namespace SignalSharp.Spqr;

/// <summary>
/// SPQR's symmetric key chain (wire facts §6.4). Epoch 0 comes from the auth key; each braid epoch secret
/// adds the next epoch. Every epoch has an A→B and a B→A direction whose keys are numbered from 1.
/// A party sends from the newest epoch or the one before it; once it sends from an epoch, the sending
/// directions of older epochs are dropped (forward secrecy). Receiving directions are kept for the
/// newest <see cref="EpochsKept"/> epochs so that messages delayed across epoch changes still decrypt.
/// Immutable.
/// </summary>
internal sealed class SpqrChain
{
    /// <summary>How far ahead of the last received index a key may be (libsignal's default, 25,000).</summary>
    internal const uint MaxJump = 25_000;

    /// <summary>How many skipped keys one direction keeps for out-of-order delivery (2,000).</summary>
    internal const int MaxStoredKeys = 2_000;

    /// <summary>How many epochs are kept for receiving delayed messages.</summary>
    internal const int EpochsKept = 5;

    private const int RootSize = 32;
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] nextRoot;

    internal SpqrChain(SpqrDirection direction, byte[] nextRoot, ChainEpoch[] epochs)
    {
        if (nextRoot.Length != RootSize)
        {
            throw new InvalidMessageException("SPQR chain root must be 32 bytes");
        }

        if (epochs.Length is 0 or > EpochsKept)
        {
            throw new InvalidMessageException("SPQR chain holds too few or too many epochs");
        }

        for (int i = 1; i < epochs.Length; i++)
        {
            if (epochs[i].Epoch != epochs[i - 1].Epoch + 1)
            {
                throw new InvalidMessageException("SPQR chain epochs must be consecutive");
            }
        }

        Direction = direction;
        this.nextRoot = nextRoot;
        Epochs = epochs;
    }

    /// <summary>The owner's sending direction.</summary>
    internal SpqrDirection Direction { get; }

    /// <summary>The epochs held, oldest first.</summary>
    internal IReadOnlyList<ChainEpoch> Epochs { get; }

    /// <summary>The newest epoch.</summary>
    internal ulong CurrentEpoch => Epochs[^1].Epoch;

    /// <summary>The root that the next epoch secret is mixed into (for serialization).</summary>
    internal ReadOnlySpan<byte> NextRoot => nextRoot;

    /// <summary>Chain epoch 0: HKDF(salt 0³², authKey, "Signal PQ Ratchet V1 Chain  Start", 96).</summary>
    internal static SpqrChain Create(ReadOnlySpan<byte> authKey, SpqrDirection direction)
    {
        Span<byte> output = stackalloc byte[96];
        SignalHkdf.DeriveKey(authKey, SpqrLabels.ZeroSalt, SpqrLabels.ChainStart, output);
        TraceEpoch(0, output);
        var chain = new SpqrChain(direction, output[..32].ToArray(), [Split(0, output, direction)]);
        CryptographicOperations.ZeroMemory(output);
        return chain;
    }

    /// <summary>Adds epoch <paramref name="epoch"/> (must be CurrentEpoch + 1) from its epoch secret.</summary>
    internal SpqrChain AddEpoch(ulong epoch, ReadOnlySpan<byte> secret)
    {
        if (epoch != CurrentEpoch + 1)
        {
            throw new InvalidMessageException($"SPQR chain cannot add epoch {epoch} after {CurrentEpoch}");
        }

        Span<byte> output = stackalloc byte[96];
        SignalHkdf.DeriveKey(secret, nextRoot, SpqrLabels.ChainAddEpoch, output);
        TraceEpoch(epoch, output);
        var added = Split(epoch, output, Direction);
        var root = output[..32].ToArray();
        CryptographicOperations.ZeroMemory(output);
        ChainEpoch[] epochs = [.. Epochs.Skip(Epochs.Count == EpochsKept ? 1 : 0), added];
        return new SpqrChain(Direction, root, epochs);
    }

    /// <summary>The next sending key of chain epoch <paramref name="epoch"/>, written to <paramref name="key"/> (32 bytes).</summary>
    internal SpqrChain SendKey(ulong epoch, out uint index, Span<byte> key)
    {
        int at = Find(epoch);
        var link = Epochs[at];
        if (link.Send is null)
        {
            throw new InvalidMessageException($"SPQR chain epoch {epoch} no longer sends");
        }

        var send = link.Send.Step(out index, key);
        var epochs = new ChainEpoch[Epochs.Count];
        for (int i = 0; i < epochs.Length; i++)
        {
            var current = Epochs[i];
            epochs[i] = i == at ? new ChainEpoch(link.Epoch, send, link.Receive)
                : i < at && current.Send is not null ? new ChainEpoch(current.Epoch, null, current.Receive)
                : current;
        }

        return new SpqrChain(Direction, nextRoot, epochs);
    }

    /// <summary>
    /// The receiving key with <paramref name="index"/> of chain epoch <paramref name="epoch"/>; more than
    /// <see cref="MaxJump"/> ahead only when <paramref name="unlimitedJumps"/> (note-to-self sessions).
    /// </summary>
    /// <exception cref="DuplicateMessageException">The key was already used.</exception>
    /// <exception cref="InvalidMessageException">Unknown epoch, index too old or too far ahead.</exception>
    internal SpqrChain ReceiveKey(ulong epoch, uint index, bool unlimitedJumps, DerivationBudget? budget, out byte[] key)
    {
        int at = Find(epoch);
        var link = Epochs[at];
        var receive = link.Receive.KeyAt(index, unlimitedJumps ? uint.MaxValue : MaxJump, MaxStoredKeys, budget, out key);
        return Replace(at, new ChainEpoch(link.Epoch, link.Send, receive));
    }

    /// <summary>Adds every secret array of this chain (next root, chain keys, skipped keys) to <paramref name="into"/>.</summary>
    internal void VisitSecrets(ref SecretBin into)
    {
        into.Add(nextRoot);
        for (int i = 0; i < Epochs.Count; i++)
        {
            Epochs[i].Send?.VisitSecrets(ref into);
            Epochs[i].Receive.VisitSecrets(ref into);
        }
    }

    /// <summary>Adds the secret arrays of <paramref name="old"/> that <paramref name="next"/> does not hold (epochs are matched by number).</summary>
    internal static void CollectReplaced(SpqrChain old, SpqrChain next, ref SecretBin into)
    {
        if (ReferenceEquals(old, next))
        {
            return;
        }

        if (!ReferenceEquals(old.nextRoot, next.nextRoot))
        {
            into.Add(old.nextRoot);
        }

        // Indexed loops: Epochs is an interface over an array, and foreach would allocate an enumerator per message.
        for (int i = 0; i < old.Epochs.Count; i++)
        {
            var link = old.Epochs[i];
            ChainEpoch? successor = null;
            for (int j = 0; j < next.Epochs.Count; j++)
            {
                if (next.Epochs[j].Epoch == link.Epoch)
                {
                    successor = next.Epochs[j];
                    break;
                }
            }

            if (ReferenceEquals(link, successor))
            {
                continue;
            }

            DirectionalChain.CollectReplaced(link.Send, successor?.Send, ref into);
            DirectionalChain.CollectReplaced(link.Receive, successor?.Receive, ref into);
        }
    }

    /// <summary>Skipped receiving keys held over all epochs.</summary>
    internal int SkippedKeyCount
    {
        get
        {
            int count = 0;
            foreach (var link in Epochs)
            {
                count += link.Receive.Skipped.Count + (link.Send?.Skipped.Count ?? 0);
            }

            return count;
        }
    }

    /// <summary>This chain with up to <paramref name="excess"/> skipped keys dropped, oldest epoch and lowest index first; <paramref name="excess"/> is reduced by the number dropped.</summary>
    internal SpqrChain WithoutOldestSkippedKeys(ref int excess)
    {
        var chain = this;
        for (int i = 0; i < Epochs.Count && excess > 0; i++)
        {
            var link = chain.Epochs[i];
            int drop = Math.Min(excess, link.Receive.Skipped.Count);
            if (drop > 0)
            {
                chain = chain.Replace(i, new ChainEpoch(link.Epoch, link.Send, link.Receive.WithoutOldestSkipped(drop)));
                excess -= drop;
            }
        }

        return chain;
    }

    private int Find(ulong epoch)
    {
        for (int i = 0; i < Epochs.Count; i++)
        {
            if (Epochs[i].Epoch == epoch)
            {
                return i;
            }
        }

        throw new InvalidMessageException($"SPQR chain epoch {epoch} is not available");
    }

    private SpqrChain Replace(int at, ChainEpoch link)
    {
        var epochs = new ChainEpoch[Epochs.Count];
        for (int i = 0; i < epochs.Length; i++)
        {
            epochs[i] = i == at ? link : Epochs[i];
        }

        return new SpqrChain(Direction, nextRoot, epochs);
    }

    private static void TraceEpoch(ulong epoch, ReadOnlySpan<byte> output)
    {
        if (ProtocolTrace.Sink is { } trace)
        {
            trace.Record("spqr.chain_epoch", epoch);
            trace.Record("spqr.chain_next_root", output[..32]);
            trace.Record("spqr.chain_a2b_key", output[32..64]);
            trace.Record("spqr.chain_b2a_key", output[64..96]);
        }
    }

    // KDF output = next root ‖ A→B chain key ‖ B→A chain key.
    private static ChainEpoch Split(ulong epoch, ReadOnlySpan<byte> output, SpqrDirection direction)
    {
        var a2b = DirectionalChain.Start(output[32..64]);
        var b2a = DirectionalChain.Start(output[64..96]);
        return direction == SpqrDirection.A2B ? new ChainEpoch(epoch, a2b, b2a) : new ChainEpoch(epoch, b2a, a2b);
    }
}
