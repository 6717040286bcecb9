namespace SignalSharp;

/// <summary>
/// A PreKey message names a one-time, signed or Kyber pre-key that the local store does not (or no longer) hold:
/// the sender used an outdated bundle, or another message consumed the one-time pre-key first. The right action is
/// to have the sender start a new session (a retry receipt or a session reset), not to treat the message as forged.
/// A sibling of <see cref="InvalidMessageException"/>, not a subclass. Nothing was committed to any store.
/// </summary>
public class InvalidKeyIdException : SignalProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Which of the three pre-key stores lacks the key.</param>
    /// <param name="keyId">The id the message names.</param>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidKeyIdException(PreKeyKind kind, uint keyId, string message) : base(message)
    {
        Kind = kind;
        KeyId = keyId;
    }

    /// <summary>Which kind of pre-key is missing.</summary>
    public PreKeyKind Kind { get; }

    /// <summary>The id the message names.</summary>
    public uint KeyId { get; }
}
