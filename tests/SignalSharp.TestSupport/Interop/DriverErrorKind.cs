namespace SignalSharp.TestSupport.Interop;

/// <summary>The exact error-kind strings of the driver protocol v1.</summary>
public static class DriverErrorKind
{
    /// <summary>The request itself is malformed.</summary>
    public const string BadRequest = "BadRequest";

    /// <summary>The client handle names no client of the driver.</summary>
    public const string UnknownClient = "UnknownClient";

    /// <summary>A ciphertext fails to parse, authenticate or decrypt.</summary>
    public const string InvalidMessage = "InvalidMessage";

    /// <summary>A key fails to parse or is unusable.</summary>
    public const string InvalidKey = "InvalidKey";

    /// <summary>A signed pre-key or Kyber pre-key signature does not verify.</summary>
    public const string InvalidSignature = "InvalidSignature";

    /// <summary>A message names a pre-key the client does not hold.</summary>
    public const string InvalidKeyId = "InvalidKeyId";

    /// <summary>No session with that address.</summary>
    public const string NoSession = "NoSession";

    /// <summary>A message whose key was already used.</summary>
    public const string DuplicateMessage = "DuplicateMessage";

    /// <summary>The peer's identity key differs from the trusted one.</summary>
    public const string UntrustedIdentity = "UntrustedIdentity";

    /// <summary>A message version the implementation no longer accepts.</summary>
    public const string LegacyMessage = "LegacyMessage";

    /// <summary>A group message without sender-key state.</summary>
    public const string NoSenderKey = "NoSenderKey";

    /// <summary>(v2) A sealed envelope or SSv2 SentMessage fails to parse, decrypt or authenticate.</summary>
    public const string InvalidSealedSender = "InvalidSealedSender";

    /// <summary>(v2) A sender certificate is malformed or fails validation.</summary>
    public const string InvalidCertificate = "InvalidCertificate";

    /// <summary>(v2) The certificate names the receiving device itself.</summary>
    public const string SealedSenderSelfSend = "SealedSenderSelfSend";

    /// <summary>Anything else: a bug.</summary>
    public const string Internal = "Internal";
}
