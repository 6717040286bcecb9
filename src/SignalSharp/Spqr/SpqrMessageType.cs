namespace SignalSharp.Spqr;

/// <summary>The payload type byte of an SPQR V1 message (wire facts §6.3).</summary>
internal enum SpqrMessageType : byte
{
    /// <summary>No payload (send_ct side waiting).</summary>
    None = 0,

    /// <summary>A chunk of header ‖ header MAC.</summary>
    Hdr = 1,

    /// <summary>A chunk of the encapsulation-key vector, before ct1 is complete.</summary>
    Ek = 2,

    /// <summary>A chunk of the encapsulation-key vector that also acknowledges ct1.</summary>
    EkCt1Ack = 3,

    /// <summary>No payload; acknowledges ct1 after the first ct2 chunk arrived.</summary>
    Ct1Ack = 4,

    /// <summary>A chunk of ct1.</summary>
    Ct1 = 5,

    /// <summary>A chunk of ct2 ‖ ciphertext MAC.</summary>
    Ct2 = 6,
}
