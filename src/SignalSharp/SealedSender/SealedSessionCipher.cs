using SignalSharp;
using SignalSharp.Crypto;

namespace SignalSharp.SealedSender;

/// <summary>
/// Sealed sender for one local device: hides the sender of 1:1 and group messages from the server. Sending
/// wraps the inner message and the sender certificate in an <see cref="UnidentifiedSenderMessageContent"/> and
/// seals it to the recipient's identity key (v1, one recipient) or to many users at once (v2, one upload the
/// server splits with <see cref="SealedSenderMultiRecipientMessage"/>). Receiving runs libsignal's order: open
/// the envelope (<see cref="InvalidSealedSenderMessageException"/>), validate the certificate
/// (<see cref="InvalidCertificateException"/>), refuse messages from this very device
/// (<see cref="SealedSenderSelfSendException"/>), then decrypt the inner message with the ordinary session
/// errors. Nothing before the inner decryption touches a store, and the inner decryption commits only on success.
/// <para>
/// Keep one instance per local device: it remembers the identity-to-identity X25519 agreement with each peer
/// (a value fixed by the two long-term keys), so repeated messages to or from a user cost one agreement fewer,
/// and the sender certificates whose signatures verified (the expiry is still checked on every message).
/// <see cref="Dispose"/> wipes the agreements.
/// </para>
/// </summary>
public sealed class SealedSessionCipher : IDisposable
{
    private readonly ISignalProtocolStore _store;
    private readonly ProtocolAddress _localAddress;
    private readonly TimeProvider? _time;
    private readonly RandomSource _random;
    private readonly StaticAgreementCache _agreements = new();
    private readonly ValidatedCertificateCache _certificates = new();

    /// <summary>Creates the cipher of the local device <paramref name="localAddress"/> (its name is the local ACI).</summary>
    /// <param name="store">The local device's stores.</param>
    /// <param name="localAddress">This device: ACI and device id (used for the self-send check and as the inner sessions' local address).</param>
    /// <param name="timeProvider">The clock for the inner sessions; system clock when null.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public SealedSessionCipher(ISignalProtocolStore store, ProtocolAddress localAddress, TimeProvider? timeProvider = null, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(localAddress);
        _store = store;
        _localAddress = localAddress;
        _time = timeProvider;
        _random = random ?? RandomSource.Secure;
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> in the session with <paramref name="destination"/> and seals the
    /// result (sealed sender v1).
    /// </summary>
    /// <param name="destination">The recipient device.</param>
    /// <param name="senderCertificate">This device's current sender certificate.</param>
    /// <param name="plaintext">The padded content.</param>
    /// <param name="contentHint">What the receiver should do if it cannot decrypt.</param>
    /// <param name="groupId">The group id, when the 1:1 message belongs to a group.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sealed envelope.</returns>
    /// <exception cref="NoSessionException">No usable session with <paramref name="destination"/>.</exception>
    /// <exception cref="UntrustedIdentityException">The destination's identity is not trusted.</exception>
    public async ValueTask<byte[]> EncryptAsync(ProtocolAddress destination, SenderCertificate senderCertificate, ReadOnlyMemory<byte> plaintext, ContentHint contentHint = ContentHint.Default, ReadOnlyMemory<byte> groupId = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(senderCertificate);
        var message = await new SessionCipher(_store, _localAddress, destination, _time, _random).EncryptAsync(plaintext, cancellationToken).ConfigureAwait(false);
        var content = new UnidentifiedSenderMessageContent(message.Type, senderCertificate, message.Serialize(), contentHint, groupId.Span);
        return await EncryptAsync(destination, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Seals prepared content to <paramref name="destination"/> (sealed sender v1). Needs only its identity key.</summary>
    /// <param name="destination">The recipient device.</param>
    /// <param name="content">The content (for example a group message or a retry receipt).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sealed envelope.</returns>
    /// <exception cref="NoSessionException">The identity store holds no identity key for <paramref name="destination"/>.</exception>
    public async ValueTask<byte[]> EncryptAsync(ProtocolAddress destination, UnidentifiedSenderMessageContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(content);
        var recipientKey = await _store.GetIdentityAsync(destination, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSessionException($"no identity key for {destination}");
        using var identity = await _store.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return SealedSenderV1.Seal(identity, recipientKey, content.SerializedSpan, _random, _agreements);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidKeyException($"identity key of {destination} is unusable: {e.Message}", e);
        }
    }

    /// <summary>
    /// Seals <paramref name="content"/> once for many recipient devices (sealed sender v2) and returns the
    /// SentMessage for the server. Devices of one user should be adjacent: each run of adjacent devices with
    /// the same name becomes one entry. Each device needs a current session (its registration id goes into the
    /// device list, which the server checks); each user's identity key comes from the identity store.
    /// </summary>
    /// <param name="recipients">The recipient devices; names must be ServiceIds (ACI UUID or <c>PNI:</c> UUID).</param>
    /// <param name="content">The content, usually a group (SenderKey) message.</param>
    /// <param name="excludedRecipients">ServiceIds listed with no devices (told apart from omission by the server).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The SentMessage (version 0x23).</returns>
    /// <exception cref="ArgumentException">A name is not a ServiceId.</exception>
    /// <exception cref="NoSessionException">A device has no current session, or a user no identity key.</exception>
    /// <exception cref="InvalidMessageException">A session's registration id does not fit in 14 bits.</exception>
    public async ValueTask<byte[]> MultiRecipientEncryptAsync(IReadOnlyList<ProtocolAddress> recipients, UnidentifiedSenderMessageContent content, IReadOnlyList<string>? excludedRecipients = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(content);
        var entries = new List<SealedSenderV2.Entry>();
        int i = 0;
        while (i < recipients.Count)
        {
            var first = recipients[i] ?? throw new ArgumentException("null recipient", nameof(recipients));
            int end = i + 1;
            while (end < recipients.Count && recipients[end] is { } next && next.Name == first.Name)
            {
                end++;
            }

            var serviceId = ServiceIdBytes(first.Name, nameof(recipients));
            var identityKey = await _store.GetIdentityAsync(first, cancellationToken).ConfigureAwait(false)
                ?? throw new NoSessionException($"no identity key for {first}");
            var devices = new (byte, ushort)[end - i];
            for (int d = i; d < end; d++)
            {
                var address = recipients[d];
                var record = await _store.LoadSessionAsync(address, cancellationToken).ConfigureAwait(false);
                if (record?.RemoteRegistrationId is not { } registrationId)
                {
                    throw new NoSessionException($"cannot get registration ID from session with {address} (maybe it was recently archived)");
                }

                if (registrationId > 0x3FFF)
                {
                    throw new InvalidMessageException($"invalid registration id {registrationId} for {address}");
                }

                devices[d - i] = ((byte)address.DeviceId, (ushort)registrationId);
            }

            entries.Add(new SealedSenderV2.Entry(serviceId, identityKey, devices));
            i = end;
        }

        var excluded = new List<byte[]>();
        foreach (string name in excludedRecipients ?? [])
        {
            excluded.Add(ServiceIdBytes(name, nameof(excludedRecipients)));
        }

        using var identity = await _store.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        return SealedSenderV2.EncryptSent(identity, entries, excluded, content.SerializedSpan, _random, _agreements);
    }

    /// <summary>
    /// Opens a sealed envelope (v1, or a v2 ReceivedMessage) <b>without validating the certificate</b>: the caller
    /// must validate it before trusting the sender. Touches no store.
    /// </summary>
    /// <param name="message">The envelope.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The content; its certificate's identity key is the key that sealed the envelope.</returns>
    /// <exception cref="InvalidSealedSenderMessageException">The envelope does not open.</exception>
    public async ValueTask<UnidentifiedSenderMessageContent> DecryptToUsmcAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        using var identity = await _store.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        return SealedSenderEnvelope.Open(identity, message.Span, _agreements);
    }

    /// <summary>
    /// Opens the envelope, validates its certificate and checks it is not from this device: everything but the
    /// inner decryption. Use it for content the core does not decrypt (group messages: hand the result to
    /// <c>GroupCipher</c>; retry receipts: <see cref="PlaintextContent"/>). Touches no store.
    /// </summary>
    /// <param name="message">The envelope.</param>
    /// <param name="trustRoots">The acceptable trust roots.</param>
    /// <param name="timestamp">The validation time (the envelope's server timestamp), ms since 1970.</param>
    /// <param name="localE164">This account's phone number, for the self-send check; null to compare uuids only.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The validated content.</returns>
    /// <exception cref="InvalidSealedSenderMessageException">The envelope does not open.</exception>
    /// <exception cref="InvalidCertificateException">The certificate does not validate.</exception>
    /// <exception cref="SealedSenderSelfSendException">The certificate names this device.</exception>
    public async ValueTask<UnidentifiedSenderMessageContent> OpenAsync(ReadOnlyMemory<byte> message, IEnumerable<EcPublicKey> trustRoots, ulong timestamp, string? localE164 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trustRoots);
        var content = await DecryptToUsmcAsync(message, cancellationToken).ConfigureAwait(false);
        var certificate = content.SenderCertificate;
        if (certificate.Signer is null)
        {
            throw new InvalidCertificateException($"unknown server certificate ID: {certificate.SignerId}");
        }

        if (!_certificates.Validate(certificate, [.. trustRoots], timestamp))
        {
            throw new InvalidCertificateException("invalid sealed sender message: trust root validation failed");
        }

        bool sameAccount = certificate.SenderUuid == _localAddress.Name
            || (localE164 is not null && certificate.SenderE164 is not null && certificate.SenderE164 == localE164);
        if (sameAccount && certificate.SenderDeviceId == _localAddress.DeviceId)
        {
            throw new SealedSenderSelfSendException("message was sent by this device to itself");
        }

        return content;
    }

    /// <summary>
    /// Decrypts a sealed 1:1 message: open, validate, self-send check, then the inner Whisper or PreKey message
    /// in the session with (certificate uuid, certificate device).
    /// </summary>
    /// <param name="message">The envelope.</param>
    /// <param name="trustRoot">The trust root.</param>
    /// <param name="timestamp">The validation time, ms since 1970.</param>
    /// <param name="localE164">This account's phone number, or null.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sender and the plaintext.</returns>
    /// <exception cref="InvalidSealedSenderMessageException">The envelope does not open.</exception>
    /// <exception cref="InvalidCertificateException">The certificate does not validate.</exception>
    /// <exception cref="SealedSenderSelfSendException">The certificate names this device.</exception>
    /// <exception cref="InvalidMessageException">The content is a group message or retry receipt (use <see cref="OpenAsync"/>), or the inner message fails.</exception>
    public async ValueTask<SealedSenderDecryptionResult> DecryptAsync(ReadOnlyMemory<byte> message, EcPublicKey trustRoot, ulong timestamp, string? localE164 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trustRoot);
        var content = await OpenAsync(message, [trustRoot], timestamp, localE164, cancellationToken).ConfigureAwait(false);
        return await DecryptContentAsync(content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Decrypts the inner 1:1 message of content returned by <see cref="OpenAsync"/> (which the caller has
    /// validated). Keeping the two steps apart lets the app answer an inner failure with a retry receipt built
    /// from the content (sender, hint, group id).
    /// </summary>
    /// <param name="content">Validated content of type Whisper or PreKey.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sender and the plaintext.</returns>
    /// <exception cref="InvalidMessageException">Not a 1:1 message type, or the inner message fails to decrypt.</exception>
    public async ValueTask<SealedSenderDecryptionResult> DecryptContentAsync(UnidentifiedSenderMessageContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sender = content.SenderCertificate.SenderAddress;
        var cipher = new SessionCipher(_store, _localAddress, sender, _time, _random);
        byte[] plaintext = content.MessageType switch
        {
            CiphertextMessageType.Whisper => await cipher.DecryptAsync(SignalMessage.Deserialize(content.ContentSpan), cancellationToken).ConfigureAwait(false),
            CiphertextMessageType.PreKey => await cipher.DecryptAsync(PreKeySignalMessage.Deserialize(content.ContentSpan), cancellationToken).ConfigureAwait(false),
            _ => throw new InvalidMessageException("unexpected message type for sealed_sender_decrypt"),
        };
        return new SealedSenderDecryptionResult(content, plaintext);
    }

    /// <summary>Wipes the remembered identity-to-identity agreements.</summary>
    public void Dispose() => _agreements.Dispose();

    private static byte[] ServiceIdBytes(string name, string parameter)
    {
        var bytes = new byte[ServiceIdBinary.FixedWidthSize];
        if (!ServiceIdBinary.TryWriteFixedWidth(name, bytes))
        {
            throw new ArgumentException($"multi-recipient sealed sender requires recipients' ServiceId (got \"{name}\")", parameter);
        }

        return bytes;
    }
}
