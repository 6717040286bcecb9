namespace SignalSharp.Spqr;

/// <summary>Which way a party's SPQR sending chain points.</summary>
internal enum SpqrDirection
{
    /// <summary>Alice, the session initiator: she sends on the A→B chain and starts by publishing ML-KEM keys.</summary>
    A2B,

    /// <summary>Bob, the responder: he sends on the B→A chain and starts by encapsulating.</summary>
    B2A,
}
