using SignalSharp;
using SignalSharp.SealedSender;

namespace SignalSharp.Groups;

/// <summary>Group messages inside sealed sender: the glue between <see cref="SealedSessionCipher"/> and <see cref="GroupCipher"/>.</summary>
public static class SealedSenderGroupExtensions
{
    /// <summary>
    /// Decrypts the group message inside sealed content that <see cref="SealedSessionCipher.OpenAsync"/> opened
    /// and validated, from the certified sender (certificate uuid, certificate device).
    /// </summary>
    /// <param name="cipher">The receiver's group cipher.</param>
    /// <param name="content">Validated content of type SenderKey.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="InvalidMessageException">The content is not a SenderKey message, or it fails to decrypt.</exception>
    /// <exception cref="NoSenderKeyException">No sender key from that sender for the message's distribution.</exception>
    public static ValueTask<byte[]> DecryptAsync(this GroupCipher cipher, UnidentifiedSenderMessageContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        ArgumentNullException.ThrowIfNull(content);
        if (content.MessageType != CiphertextMessageType.SenderKey)
        {
            throw new InvalidMessageException($"sealed content of type {content.MessageType} is not a group message");
        }

        return cipher.DecryptAsync(content.SenderCertificate.SenderAddress, content.Content, cancellationToken);
    }
}
