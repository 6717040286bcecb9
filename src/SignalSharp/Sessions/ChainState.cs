using System.Diagnostics;
using SignalSharp;

namespace SignalSharp;

/// <summary>
/// One chain of the Double Ratchet: the ratchet public key that names it, its chain key and index and, for a
/// receiving chain, the seeds of skipped messages. Byte arrays are never modified in place (they are
/// replaced), so <see cref="Clone"/> can share them. A chain reachable from a stored record is never changed:
/// the sending chain is replaced by <see cref="Advance"/>, a receiving chain is cloned before it is changed
/// (<see cref="SessionState.FindReceiverChainForUpdate"/>), so records and states can share chains.
/// </summary>
internal sealed class ChainState
{
    // Created on first use: most chains never skip a message, and the sending chain never does.
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private List<(uint Index, byte[] Seed)>? _skipped;

    public ChainState(EcPublicKey ratchetKey, byte[]? ratchetPrivateKey, byte[] chainKey, uint index)
    {
        RatchetKey = ratchetKey;
        RatchetPrivateKey = ratchetPrivateKey;
        ChainKey = chainKey;
        Index = index;
    }

    public EcPublicKey RatchetKey { get; }

    /// <summary>
    /// The <see cref="SessionState.CloneId"/> of the cloned state that created or copied this chain and so may
    /// change it (0: none). An id, not a reference, so a chain does not keep older states alive.
    /// </summary>
    public long OwnerCloneId { get; set; }

    /// <summary>Our private ratchet key (sender chain only).</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public byte[]? RatchetPrivateKey { get; }

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public byte[] ChainKey { get; set; }

    public uint Index { get; set; }

    /// <summary>Seeds of skipped messages, newest first (the list is created on first access).</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public List<(uint Index, byte[] Seed)> Skipped => _skipped ??= [];

    /// <summary>The number of skipped seeds, without creating the list.</summary>
    public int SkippedCount => _skipped?.Count ?? 0;

    /// <summary>The skipped seeds for reading, without creating the list.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public IReadOnlyList<(uint Index, byte[] Seed)> SkippedSeeds => (IReadOnlyList<(uint Index, byte[] Seed)>?)_skipped ?? [];

    public ChainState Clone() => new(RatchetKey, RatchetPrivateKey, ChainKey, Index) { _skipped = _skipped is { Count: > 0 } s ? [.. s] : null };

    /// <summary>This chain one message further, as a new chain (the sending chain has no skipped seeds to copy).</summary>
    public ChainState Advance(byte[] nextChainKey) => new(RatchetKey, RatchetPrivateKey, nextChainKey, Index + 1) { _skipped = _skipped is { Count: > 0 } s ? [.. s] : null };
}
