namespace SignalSharp;

/// <summary>libsignal's numbers for the kinds of ciphertext message (the envelope "type" field of Signal apps).</summary>
public enum CiphertextMessageType
{
    /// <summary>A <see cref="SignalMessage"/> (a message in an established session).</summary>
    Whisper = 2,

    /// <summary>A <see cref="PreKeySignalMessage"/> (a message that can also start the session).</summary>
    PreKey = 3,

    /// <summary>A sender-key (group) message.</summary>
    SenderKey = 7,

    /// <summary>Unencrypted content (decryption-error reports).</summary>
    Plaintext = 8,
}
