namespace SignalSharp.TestSupport.Interop;

/// <summary>A 1:1 ciphertext: libsignal's CiphertextMessageType (2 SignalMessage, 3 PreKeySignalMessage) and bytes.</summary>
public sealed record DriverCiphertext(int Type, byte[] Body)
{
    /// <summary>CiphertextMessageType of a SignalMessage.</summary>
    public const int Whisper = 2;

    /// <summary>CiphertextMessageType of a PreKeySignalMessage.</summary>
    public const int PreKey = 3;

    /// <summary>The same message with other bytes.</summary>
    public DriverCiphertext WithBody(byte[] body) => new(Type, body);
}
