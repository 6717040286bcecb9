namespace SignalSharp.Wire;

/// <summary>An encrypted message as it goes on the wire.</summary>
public abstract class CiphertextMessage
{
    /// <summary>Only this library defines message kinds.</summary>
    private protected CiphertextMessage()
    {
    }

    /// <summary>The kind of message (libsignal's CiphertextMessageType number).</summary>
    public abstract CiphertextMessageType Type { get; }

    /// <summary>The exact bytes to transmit.</summary>
    /// <returns>A fresh copy of the serialized message.</returns>
    public abstract byte[] Serialize();
}
