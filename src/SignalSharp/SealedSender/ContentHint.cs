namespace SignalSharp.SealedSender;

/// <summary>
/// What the receiver should do if it cannot decrypt the content (field 4 of the USMC). Values outside the
/// named ones are kept as they are.
/// </summary>
public enum ContentHint
{
    /// <summary>The sender will not resend: show an error now.</summary>
    Default = 0,

    /// <summary>The sender will retry on a retry receipt: delay any error UI.</summary>
    Resendable = 1,

    /// <summary>Show no error UI (typing indicators, receipts).</summary>
    Implicit = 2,
}
