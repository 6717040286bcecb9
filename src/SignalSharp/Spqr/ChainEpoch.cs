namespace SignalSharp.Spqr;

/// <summary>The sending and receiving directions of one chain epoch.</summary>
internal sealed class ChainEpoch(ulong epoch, DirectionalChain send, DirectionalChain receive)
{
    /// <summary>The chain epoch (0 = derived from the auth key).</summary>
    internal ulong Epoch { get; } = epoch;

    /// <summary>This party's sending direction.</summary>
    internal DirectionalChain Send { get; } = send;

    /// <summary>The peer's sending direction.</summary>
    internal DirectionalChain Receive { get; } = receive;
}
