namespace SignalSharp.SealedSender;

/// <summary>What <see cref="SealedSessionCipher.DecryptAsync"/> learned: the certified sender and the inner plaintext.</summary>
public sealed class SealedSenderDecryptionResult
{
    internal SealedSenderDecryptionResult(UnidentifiedSenderMessageContent content, byte[] plaintext)
    {
        SenderUuid = content.SenderCertificate.SenderUuid;
        SenderE164 = content.SenderCertificate.SenderE164;
        SenderDeviceId = content.SenderCertificate.SenderDeviceId;
        ContentHint = content.ContentHint;
        GroupId = content.GroupId;
        Plaintext = plaintext;
    }

    /// <summary>The sender's ACI as certified.</summary>
    public string SenderUuid { get; }

    /// <summary>The sender's phone number, when certified.</summary>
    public string? SenderE164 { get; }

    /// <summary>The sender's device id.</summary>
    public int SenderDeviceId { get; }

    /// <summary>The content hint of the envelope.</summary>
    public ContentHint ContentHint { get; }

    /// <summary>The group id of the envelope, or null.</summary>
    public byte[]? GroupId { get; }

    /// <summary>The decrypted inner plaintext (owned by the caller).</summary>
    public byte[] Plaintext { get; }
}
