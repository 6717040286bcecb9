namespace SignalSharp.Spqr.Braid;

/// <summary>The eleven braid states of SPQR V1 (wire facts §6.6), numbered in the order of that section.</summary>
internal enum BraidStateKind
{
    /// <summary>send_ek: no key pair for this epoch yet.</summary>
    KeysUnsampled = 1,

    /// <summary>send_ek: sending header chunks.</summary>
    KeysSampled = 2,

    /// <summary>send_ek: sending ek chunks, collecting ct1.</summary>
    HeaderSent = 3,

    /// <summary>send_ek: ct1 complete, sending ek chunks that acknowledge it.</summary>
    Ct1Received = 4,

    /// <summary>send_ek: collecting ct2, sending Ct1Ack.</summary>
    EkSentCt1Received = 5,

    /// <summary>send_ct: collecting the header.</summary>
    NoHeaderReceived = 6,

    /// <summary>send_ct: header verified, ct1 not sampled yet.</summary>
    HeaderReceived = 7,

    /// <summary>send_ct: sending ct1 chunks, collecting ek.</summary>
    Ct1Sampled = 8,

    /// <summary>send_ct: ek complete, sending ct1 until acknowledged.</summary>
    EkReceivedCt1Sampled = 9,

    /// <summary>send_ct: ct1 acknowledged, still collecting ek.</summary>
    Ct1Acknowledged = 10,

    /// <summary>send_ct: sending ct2 chunks until the peer moves to the next epoch.</summary>
    Ct2Sampled = 11,
}
