namespace SignalSharp;

/// <summary>Why an identity's trust is being checked.</summary>
public enum Direction
{
    /// <summary>We are about to send to (or start a session with) the identity.</summary>
    Sending = 0,

    /// <summary>We received a message from the identity.</summary>
    Receiving = 1,
}
