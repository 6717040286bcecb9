namespace SignalSharp;

/// <summary>
/// A message whose key was already used: a redelivery or a replay. The right action is to ignore it silently.
/// A sibling of <see cref="InvalidMessageException"/>, not a subclass, so that a handler for bad messages does not
/// treat an ordinary redelivery as an attack. Nothing was committed to any store.
/// </summary>
public class DuplicateMessageException : SignalProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="counter">The message's position in its chain (the counter of a 1:1 message, the iteration of a sender-key message).</param>
    /// <param name="message">What went wrong, without secret material.</param>
    public DuplicateMessageException(uint counter, string message) : base(message)
    {
        Counter = counter;
    }

    /// <summary>The message's position in its chain: the counter of a 1:1 message, the iteration of a sender-key message.</summary>
    public uint Counter { get; }
}
