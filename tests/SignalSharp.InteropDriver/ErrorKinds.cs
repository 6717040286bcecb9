namespace SignalSharp.InteropDriver;

/// <summary>Maps SignalSharp's exceptions to the driver protocol's error kinds.</summary>
internal static class ErrorKinds
{
    /// <summary>Operations that receive data: a bad key or signature inside what they receive is an invalid message.</summary>
    private static readonly HashSet<string> ReceivingOps = ["decrypt", "group_decrypt", "process_sender_key_distribution", "sealed_decrypt"];

    public static string For(string op, Exception e)
    {
        string kind = e switch
        {
            DriverException d => d.Kind,
            UntrustedIdentityException => "UntrustedIdentity",
            DuplicateMessageException => "DuplicateMessage",
            LegacyMessageException => "LegacyMessage",
            InvalidVersionException => "InvalidMessage",
            InvalidKeyIdException => "InvalidKeyId",
            NoSessionException => "NoSession",
            InvalidSignatureException => "InvalidSignature",
            InvalidKeyException => "InvalidKey",
            InvalidMessageException => "InvalidMessage",
            InvalidSealedSenderMessageException => "InvalidSealedSender",
            InvalidCertificateException => "InvalidCertificate",
            SealedSenderSelfSendException => "SealedSenderSelfSend",
            _ => ExtraKind(e) ?? "Internal",
        };
        return ReceivingOps.Contains(op) && kind is "InvalidSignature" or "InvalidKey" ? "InvalidMessage" : kind;
    }

    /// <summary>Kinds for exception types of other layers (SignalSharp.Groups.NoSenderKeyException).</summary>
    private static string? ExtraKind(Exception e) => e.GetType().Name switch
    {
        "NoSenderKeyException" => "NoSenderKey",
        _ => null,
    };
}
