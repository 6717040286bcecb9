namespace SignalSharp;

/// <summary>An encrypted message as it goes on the wire.</summary>
public abstract class CiphertextMessage
{
    /// <summary>
    /// The longest serialized message this library parses or produces (1 MiB). Signal messages carry text and
    /// attachment pointers, far below this; a longer message is refused with <see cref="MessageTooLargeException"/>
    /// before parsing.
    /// </summary>
    public const int MaxSerializedLength = 1 << 20;

    /// <summary>
    /// The longest plaintext <see cref="SessionCipher.EncryptAsync"/> accepts: <see cref="MaxSerializedLength"/>
    /// less room for padding, the header fields, the SPQR payload and a PreKey message's handshake fields.
    /// </summary>
    public const int MaxPlaintextLength = MaxSerializedLength - 4096;

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
