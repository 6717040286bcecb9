using SignalSharp.Keys;

namespace SignalSharp.Sessions;

/// <summary>
/// One chain of the Double Ratchet: the ratchet public key that names it, its chain key and index and, for a
/// receiving chain, the seeds of skipped messages. Byte arrays are never modified in place (they are
/// replaced), so <see cref="Clone"/> can share them.
/// </summary>
internal sealed class ChainState
{
    public ChainState(EcPublicKey ratchetKey, byte[]? ratchetPrivateKey, byte[] chainKey, uint index)
    {
        RatchetKey = ratchetKey;
        RatchetPrivateKey = ratchetPrivateKey;
        ChainKey = chainKey;
        Index = index;
    }

    public EcPublicKey RatchetKey { get; }

    /// <summary>Our private ratchet key (sender chain only).</summary>
    public byte[]? RatchetPrivateKey { get; }

    public byte[] ChainKey { get; set; }

    public uint Index { get; set; }

    /// <summary>Seeds of skipped messages, newest first.</summary>
    public List<(uint Index, byte[] Seed)> Skipped { get; private init; } = [];

    public ChainState Clone() => new(RatchetKey, RatchetPrivateKey, ChainKey, Index) { Skipped = [.. Skipped] };
}
