using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Handshake;
using SignalSharp.Spqr;

namespace SignalSharp;

/// <summary>
/// Encrypts to and decrypts from one remote device. Every operation loads the session record, works on a
/// private copy and stores it only when the message was produced or authenticated and decrypted, so a
/// failing call leaves every store as it was. Calls for the same address (on the same session store) are
/// serialized; different addresses proceed in parallel. When all the stores are one
/// <see cref="ITransactionalSignalProtocolStore"/>, each operation commits all its changes in one transaction, and a
/// record changed meanwhile by another store object (or process) on the same data makes the operation start over
/// from a new load instead of overwriting it.
/// </summary>
public sealed class SessionCipher
{
    private readonly ISessionStore _sessionStore;
    private readonly IIdentityKeyStore _identityStore;
    private readonly IPreKeyStore _preKeyStore;
    private readonly ISignedPreKeyStore _signedPreKeyStore;
    private readonly IKyberPreKeyStore _kyberPreKeyStore;
    private readonly ProtocolAddress _localAddress;
    private readonly ProtocolAddress _remoteAddress;
    private readonly TimeProvider _time;
    private readonly RandomSource _random;
    private readonly StoreCommitter _committer;

    /// <summary>Creates a cipher for messages between <paramref name="localAddress"/> and <paramref name="remoteAddress"/>.</summary>
    /// <param name="sessionStore">Where sessions are kept.</param>
    /// <param name="identityStore">The local identity and trust decisions.</param>
    /// <param name="preKeyStore">One-time pre-keys (used when a PreKey message arrives).</param>
    /// <param name="signedPreKeyStore">Signed pre-keys.</param>
    /// <param name="kyberPreKeyStore">Kyber pre-keys.</param>
    /// <param name="localAddress">This device's address (for the address binding of PreKey messages).</param>
    /// <param name="remoteAddress">The remote device.</param>
    /// <param name="timeProvider">The clock (for the 30-day limit on unanswered sessions); system clock when null.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public SessionCipher(
        ISessionStore sessionStore,
        IIdentityKeyStore identityStore,
        IPreKeyStore preKeyStore,
        ISignedPreKeyStore signedPreKeyStore,
        IKyberPreKeyStore kyberPreKeyStore,
        ProtocolAddress localAddress,
        ProtocolAddress remoteAddress,
        TimeProvider? timeProvider = null,
        RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(sessionStore);
        ArgumentNullException.ThrowIfNull(identityStore);
        ArgumentNullException.ThrowIfNull(preKeyStore);
        ArgumentNullException.ThrowIfNull(signedPreKeyStore);
        ArgumentNullException.ThrowIfNull(kyberPreKeyStore);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(remoteAddress);
        _sessionStore = sessionStore;
        _identityStore = identityStore;
        _preKeyStore = preKeyStore;
        _signedPreKeyStore = signedPreKeyStore;
        _kyberPreKeyStore = kyberPreKeyStore;
        _localAddress = localAddress;
        _remoteAddress = remoteAddress;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? RandomSource.Secure;
        _committer = new StoreCommitter(sessionStore, identityStore, preKeyStore, kyberPreKeyStore);
    }

    /// <summary>Creates a cipher over one combined store.</summary>
    /// <param name="store">The local device's stores.</param>
    /// <param name="localAddress">This device's address.</param>
    /// <param name="remoteAddress">The remote device.</param>
    /// <param name="timeProvider">The clock; system clock when null.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public SessionCipher(ISignalProtocolStore store, ProtocolAddress localAddress, ProtocolAddress remoteAddress, TimeProvider? timeProvider = null, RandomSource? random = null)
        : this(store, store, store, store, store, localAddress, remoteAddress, timeProvider, random)
    {
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> in the current session: a <see cref="PreKeySignalMessage"/>
    /// while the peer has not answered yet, a <see cref="SignalMessage"/> afterwards.
    /// </summary>
    /// <param name="plaintext">The bytes to encrypt (padding is the application's business).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message to send.</returns>
    /// <exception cref="NoSessionException">There is no current session, or it went unanswered for 30 days.</exception>
    /// <exception cref="UntrustedIdentityException">The session's remote identity is not trusted for sending.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The plaintext is longer than <see cref="CiphertextMessage.MaxPlaintextLength"/>.</exception>
    public async ValueTask<CiphertextMessage> EncryptAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintext.Length, CiphertextMessage.MaxPlaintextLength, nameof(plaintext));
        using var held = await ProtocolLocks.ForAddresses(_sessionStore).AcquireAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var loaded = await _committer.LoadAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
            var (message, commit) = PrepareEncrypt(loaded, plaintext.Span);

            if (!await _identityStore.IsTrustedIdentityAsync(_remoteAddress, commit.Identity!, Direction.Sending, cancellationToken).ConfigureAwait(false))
            {
                throw new UntrustedIdentityException(_remoteAddress.Name, $"untrusted identity for address {_remoteAddress}");
            }

            if (await _committer.CommitAsync(commit, cancellationToken).ConfigureAwait(false))
            {
                return message;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private (CiphertextMessage Message, SessionCommit Commit) PrepareEncrypt(VersionedSessionRecord loaded, ReadOnlySpan<byte> plaintext)
    {
        var record = loaded.Record;
        if (record?.Current is not { } current || current.SendingRetired)
        {
            throw new NoSessionException($"no session with {_remoteAddress}");
        }

        if (!record.HasUsableSession(_time.GetUtcNow()))
        {
            throw new NoSessionException($"the session with {_remoteAddress} was never answered and has expired");
        }

        var state = current.Clone();
        var message = SessionRatchet.Encrypt(state, plaintext, _localAddress, _remoteAddress, _random);
        record.SetCurrentState(state);
        return (message, new SessionCommit(_remoteAddress, record, loaded.Version) { Identity = state.RemoteIdentity });
    }

    /// <summary>
    /// Decrypts a <see cref="SignalMessage"/>, trying the current session and then the archived ones; the one
    /// that decrypts becomes current.
    /// </summary>
    /// <param name="message">The received message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="NoSessionException">There is no session with the remote device.</exception>
    /// <exception cref="DuplicateMessageException">The message was already decrypted.</exception>
    /// <exception cref="InvalidMessageException">No session decrypts the message.</exception>
    /// <exception cref="UntrustedIdentityException">The session's remote identity is not trusted.</exception>
    public async ValueTask<byte[]> DecryptAsync(SignalMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var held = await ProtocolLocks.ForAddresses(_sessionStore).AcquireAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var loaded = await _committer.LoadAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
            var record = loaded.Record;
            if (record is null || (record.Current is null && record.ArchivedStateCount == 0))
            {
                throw new NoSessionException($"no session with {_remoteAddress}");
            }

            var (plaintext, state) = SessionTrialDecryption.Decrypt(record, message, _localAddress, _remoteAddress, _random, new DerivationBudget(DerivationBudget.PerMessage));

            if (!await _identityStore.IsTrustedIdentityAsync(_remoteAddress, state.RemoteIdentity, Direction.Receiving, cancellationToken).ConfigureAwait(false))
            {
                throw new UntrustedIdentityException(_remoteAddress.Name, $"untrusted identity for address {_remoteAddress}");
            }

            if (await _committer.CommitAsync(new SessionCommit(_remoteAddress, record, loaded.Version) { Identity = state.RemoteIdentity }, cancellationToken).ConfigureAwait(false))
            {
                return plaintext;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Decrypts a <see cref="PreKeySignalMessage"/>: a repeat of a handshake already processed reuses its
    /// session; otherwise the responder side of PQXDH builds a new current session from the local pre-keys
    /// the message names. On success the one-time pre-key is removed and the Kyber pre-key marked used.
    /// </summary>
    /// <param name="message">The received message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="UntrustedIdentityException">The sender's identity key is not trusted.</exception>
    /// <exception cref="LegacyMessageException">The message is an X3DH (version 3) handshake.</exception>
    /// <exception cref="InvalidKeyIdException">A pre-key the message names is not (or no longer) held.</exception>
    /// <exception cref="DuplicateMessageException">The inner message was already decrypted.</exception>
    /// <exception cref="InvalidMessageException">The message does not authenticate or is malformed.</exception>
    public async ValueTask<byte[]> DecryptAsync(PreKeySignalMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var held = await ProtocolLocks.ForAddresses(_sessionStore).AcquireAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);

        // From loading the one-time pre-key to removing it, no other PreKey message may use the same id (see
        // ProtocolLocks); the address lock above does not cover messages from other addresses.
        using var preKeyHeld = message.PreKeyId is { } oneTimeId
            ? await ProtocolLocks.ForOneTimePreKeys(_preKeyStore).AcquireAsync(oneTimeId, cancellationToken).ConfigureAwait(false)
            : default;
        while (true)
        {
            var loaded = await _committer.LoadAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
            var record = loaded.Record ?? new SessionRecord();

            if (!await _identityStore.IsTrustedIdentityAsync(_remoteAddress, message.IdentityKey, Direction.Receiving, cancellationToken).ConfigureAwait(false))
            {
                throw new UntrustedIdentityException(_remoteAddress.Name, $"untrusted identity for address {_remoteAddress}");
            }

            byte[] plaintext;
            SessionCommit commit;
            if (record.FindByBaseKey(message.MessageVersion, message.BaseKey) is { } existing)
            {
                // A repeat of a handshake we already completed: no new key agreement, no pre-key bookkeeping.
                // The outer identity field is not authenticated on this path (the inner MAC uses the identity the
                // session was built with), so a different one is a forgery, not a key change to save.
                if (!existing.State.RemoteIdentity.Equals(message.IdentityKey))
                {
                    throw new InvalidMessageException("identity key of a repeated pre-key message differs from its session's");
                }

                var repeated = existing.State.Clone();
                plaintext = SessionRatchet.Decrypt(repeated, message.Message, _localAddress, _remoteAddress, _random);
                if (existing.ArchivedIndex >= 0)
                {
                    record.PromoteArchived(existing.ArchivedIndex, repeated);
                }
                else
                {
                    record.SetCurrentState(repeated);
                }

                commit = new SessionCommit(_remoteAddress, record, loaded.Version) { Identity = message.IdentityKey };
            }
            else
            {
                if (message.MessageVersion < MessageVersion.Current)
                {
                    throw new LegacyMessageException("X3DH no longer supported");
                }

                var state = await CreateResponderStateAsync(message, cancellationToken).ConfigureAwait(false);
                plaintext = SessionRatchet.Decrypt(state, message.Message, _localAddress, _remoteAddress, _random);
                record.PromoteState(state);

                // One commit: the Kyber use (which may refuse a last-resort replay), the identity, the one-time
                // pre-key removal and the session, so a failure or crash never consumes the pre-keys without
                // storing the session that used them.
                commit = new SessionCommit(_remoteAddress, record, loaded.Version)
                {
                    Identity = message.IdentityKey,
                    RemovedPreKeyId = message.PreKeyId,
                    KyberPreKeyUse = new KyberPreKeyUse(message.KyberPreKeyId!.Value, message.SignedPreKeyId, message.BaseKey),
                };
            }

            if (await _committer.CommitAsync(commit, cancellationToken).ConfigureAwait(false))
            {
                return plaintext;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Decrypts a serialized message of the given kind, as an envelope delivers it: parses <paramref name="body"/> as
    /// a <see cref="SignalMessage"/> (<see cref="CiphertextMessageType.Whisper"/>) or a
    /// <see cref="PreKeySignalMessage"/> (<see cref="CiphertextMessageType.PreKey"/>) and decrypts it.
    /// </summary>
    /// <param name="type">The kind the envelope claims.</param>
    /// <param name="body">The serialized message (untrusted).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="InvalidMessageException">Any other kind, a body that does not parse as the claimed kind, or one no session decrypts.</exception>
    /// <exception cref="NoSessionException">A Whisper message and no session with the remote device.</exception>
    /// <exception cref="DuplicateMessageException">The message was already decrypted.</exception>
    /// <exception cref="UntrustedIdentityException">The remote identity is not trusted.</exception>
    /// <exception cref="LegacyMessageException">The message is an X3DH (version 3) handshake.</exception>
    /// <exception cref="InvalidKeyIdException">A pre-key the message names is not (or no longer) held.</exception>
    public async ValueTask<byte[]> DecryptAsync(CiphertextMessageType type, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) => type switch
    {
        CiphertextMessageType.Whisper => await DecryptAsync(SignalMessage.Deserialize(body.Span), cancellationToken).ConfigureAwait(false),
        CiphertextMessageType.PreKey => await DecryptAsync(PreKeySignalMessage.Deserialize(body.Span), cancellationToken).ConfigureAwait(false),
        _ => throw new InvalidMessageException($"a {type} message is not a 1:1 session message"),
    };

    /// <summary>True when a current session exists that can encrypt now (not an unanswered one older than 30 days).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether <see cref="EncryptAsync"/> would find a session.</returns>
    public async ValueTask<bool> HasUsableSessionAsync(CancellationToken cancellationToken = default)
    {
        using var held = await ProtocolLocks.ForAddresses(_sessionStore).AcquireAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
        var record = await _sessionStore.LoadSessionAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
        return record is not null && record.HasUsableSession(_time.GetUtcNow());
    }

    /// <summary>Archives the current session (a session reset); the next send needs a new bundle.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    public async ValueTask ArchiveCurrentSessionAsync(CancellationToken cancellationToken = default)
    {
        using var held = await ProtocolLocks.ForAddresses(_sessionStore).AcquireAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var loaded = await _committer.LoadAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
            if (loaded.Record?.Current is null)
            {
                return;
            }

            loaded.Record.ArchiveCurrentState();
            if (await _committer.CommitAsync(new SessionCommit(_remoteAddress, loaded.Record, loaded.Version), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async ValueTask<SessionState> CreateResponderStateAsync(PreKeySignalMessage message, CancellationToken cancellationToken)
    {
        if (message.KyberPreKeyId is not { } kyberId)
        {
            throw new InvalidMessageException("PreKey message lacks the Kyber pre-key");
        }

        if (!message.BaseKey.IsCanonicalAndTorsionFree())
        {
            throw new InvalidMessageException("incoming base key is invalid");
        }

        using var signedPreKey = await _signedPreKeyStore.LoadSignedPreKeyAsync(message.SignedPreKeyId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidKeyIdException($"no signed pre-key with id {message.SignedPreKeyId}");
        using var kyberPreKey = await _kyberPreKeyStore.LoadKyberPreKeyAsync(kyberId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidKeyIdException($"no Kyber pre-key with id {kyberId}");
        using var oneTimePreKey = message.PreKeyId is { } preKeyId
            ? await _preKeyStore.LoadPreKeyAsync(preKeyId, cancellationToken).ConfigureAwait(false) ?? throw new InvalidKeyIdException($"no pre-key with id {preKeyId}")
            : null;
        using var identity = await _identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        uint localRegistrationId = await _identityStore.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);

        byte[] kyberSecret = kyberPreKey.KeyPair.SecretKey.Decapsulate(message.KyberCiphertextSpan);

        try
        {
            PqxdhKeys keys;
            try
            {
                keys = Pqxdh.Respond(identity.PrivateKey, signedPreKey.KeyPair.PrivateKey, oneTimePreKey?.KeyPair.PrivateKey, message.IdentityKey, message.BaseKey, kyberSecret);
            }
            catch (InvalidKeyException e)
            {
                throw new InvalidMessageException("PreKey message carries an unusable key", e);
            }

            using var ownedKeys = keys;

            // Bob's first sending chain is the PQXDH chain on his signed pre-key; Alice's first message,
            // under a new ratchet key, replaces it before he ever sends.
            return new SessionState(
                MessageVersion.Current,
                identity.IdentityKey,
                message.IdentityKey,
                (byte[])keys.RootKey.Clone(),
                new ChainState(signedPreKey.PublicKey, signedPreKey.KeyPair.PrivateKey.Serialize(), (byte[])keys.ChainKey.Clone(), 0),
                message.BaseKey,
                SpqrState.Initialize(keys.SpqrAuthKey, SpqrDirection.B2A))
            {
                LocalRegistrationId = localRegistrationId,
                RemoteRegistrationId = message.RegistrationId,
            };
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(kyberSecret);
        }
    }
}
