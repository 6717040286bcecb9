namespace SignalSharp.Devices;

/// <summary>Why a message of a batch failed; each kind matches one exception of <see cref="SessionCipher"/>.</summary>
public enum ReceiveErrorKind
{
    /// <summary>No error (the message decrypted or was a duplicate, or was skipped).</summary>
    None,

    /// <summary>Junk, a wrong-type body, or a message no session decrypts (<see cref="InvalidMessageException"/>).</summary>
    InvalidMessage,

    /// <summary>A message from before PQXDH (<see cref="LegacyMessageException"/>).</summary>
    LegacyMessage,

    /// <summary>A message of an unknown protocol version (<see cref="InvalidVersionException"/>).</summary>
    InvalidVersion,

    /// <summary>A PreKey message naming a pre-key that is not (or no longer) held (<see cref="InvalidKeyIdException"/>).</summary>
    InvalidKeyId,

    /// <summary>A Whisper message from a device without a session (<see cref="NoSessionException"/>).</summary>
    NoSession,

    /// <summary>The sender's identity key is not trusted (<see cref="UntrustedIdentityException"/>).</summary>
    UntrustedIdentity,

    /// <summary>Another protocol error (<see cref="SignalProtocolException"/>).</summary>
    Protocol,

    /// <summary>The store failed (e.g. an I/O error); the message's session change is not committed. Do not acknowledge it; it will be redelivered.</summary>
    Store,
}
