using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;
using SignalSharp.Handshake;
using SignalSharp.Ratchet;
using SignalSharp.Spqr;

namespace SignalSharp;

/// <summary>
/// Starts sessions as the initiator: turns a remote device's <see cref="PreKeyBundle"/> into a new current
/// session (PQXDH), whose first messages are <see cref="PreKeySignalMessage"/>s.
/// </summary>
public sealed class SessionBuilder
{
    private readonly ISessionStore _sessionStore;
    private readonly IIdentityKeyStore _identityStore;
    private readonly ProtocolAddress _remoteAddress;
    private readonly TimeProvider _time;
    private readonly RandomSource _random;

    /// <summary>Creates a builder for sessions with <paramref name="remoteAddress"/>.</summary>
    /// <param name="sessionStore">Where sessions are kept.</param>
    /// <param name="identityStore">The local identity and trust decisions.</param>
    /// <param name="remoteAddress">The remote device.</param>
    /// <param name="timeProvider">The clock (for the 30-day limit on unanswered sessions); system clock when null.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public SessionBuilder(ISessionStore sessionStore, IIdentityKeyStore identityStore, ProtocolAddress remoteAddress, TimeProvider? timeProvider = null, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(sessionStore);
        ArgumentNullException.ThrowIfNull(identityStore);
        ArgumentNullException.ThrowIfNull(remoteAddress);
        _sessionStore = sessionStore;
        _identityStore = identityStore;
        _remoteAddress = remoteAddress;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? RandomSource.Secure;
    }

    /// <summary>Creates a builder over one combined store.</summary>
    /// <param name="store">The local device's stores.</param>
    /// <param name="remoteAddress">The remote device.</param>
    /// <param name="timeProvider">The clock; system clock when null.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public SessionBuilder(ISignalProtocolStore store, ProtocolAddress remoteAddress, TimeProvider? timeProvider = null, RandomSource? random = null)
        : this(store, store, remoteAddress, timeProvider, random)
    {
    }

    /// <summary>
    /// Starts a new session from <paramref name="bundle"/>: checks that its identity is trusted for sending
    /// and that both pre-key signatures verify, runs PQXDH, saves the identity and makes the new session
    /// current (archiving the previous one).
    /// </summary>
    /// <param name="bundle">The remote device's bundle.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the session is stored.</returns>
    /// <exception cref="UntrustedIdentityException">The bundle's identity key is not trusted.</exception>
    /// <exception cref="InvalidSignatureException">A pre-key signature does not verify.</exception>
    /// <exception cref="InvalidKeyException">A bundle key is unusable (e.g. a zero agreement).</exception>
    public async ValueTask ProcessPreKeyBundleAsync(PreKeyBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var held = await ProtocolLocks.ForAddresses(_sessionStore).AcquireAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);

        if (!await _identityStore.IsTrustedIdentityAsync(_remoteAddress, bundle.IdentityKey, Direction.Sending, cancellationToken).ConfigureAwait(false))
        {
            throw new UntrustedIdentityException(_remoteAddress.Name, $"untrusted identity for address {_remoteAddress}");
        }

        bundle.VerifySignatures();

        SessionState state;
        using (var identity = await _identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false))
        {
            state = CreateInitiatorState(identity, bundle);
        }

        state.LocalRegistrationId = await _identityStore.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);
        state.RemoteRegistrationId = bundle.RegistrationId;

        var committer = new StoreCommitter(_sessionStore, _identityStore, null, null);
        while (true)
        {
            var loaded = await committer.LoadAsync(_remoteAddress, cancellationToken).ConfigureAwait(false);
            var record = loaded.Record ?? new SessionRecord();
            record.PromoteState(state);
            if (await committer.CommitAsync(new SessionCommit(_remoteAddress, record, loaded.Version) { Identity = bundle.IdentityKey }, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private SessionState CreateInitiatorState(IdentityKeyPair identity, PreKeyBundle bundle)
    {
        using var baseKey = EcKeyPair.Generate(_random);
        using var encapsulation = bundle.KyberPreKey.Encapsulate(_random);
        if (ProtocolTrace.Sink is { } trace)
        {
            var basePrivate = baseKey.PrivateKey.Serialize();
            trace.Record("pqxdh.base_key_private", basePrivate);
            CryptographicOperations.ZeroMemory(basePrivate);
            trace.Record("pqxdh.base_key_public", baseKey.PublicKey.PublicKeyBytes);
            trace.Record("pqxdh.kyber_ciphertext", encapsulation.Ciphertext);
        }

        using var keys = Pqxdh.Initiate(identity.PrivateKey, baseKey.PrivateKey, bundle.IdentityKey, bundle.SignedPreKey, bundle.PreKey, encapsulation.SharedSecret);

        // Alice ratchets at once, so her first sending chain already mixes in a fresh DH with Bob's signed pre-key.
        using var sendingRatchet = EcKeyPair.Generate(_random);
        var (rootKey, sendingChainKey) = RootKdf.Step(keys.RootKey, sendingRatchet.PrivateKey, bundle.SignedPreKey);
        var state = new SessionState(
            MessageVersion.Current,
            identity.IdentityKey,
            bundle.IdentityKey,
            rootKey,
            new ChainState(sendingRatchet.PublicKey, sendingRatchet.PrivateKey.Serialize(), sendingChainKey, 0),
            baseKey.PublicKey,
            SpqrState.Initialize(keys.SpqrAuthKey, SpqrDirection.A2B));
        state.AddReceiverChain(new ChainState(bundle.SignedPreKey, null, (byte[])keys.ChainKey.Clone(), 0));
        state.Pending = new PendingPreKey(
            bundle.PreKeyId,
            bundle.SignedPreKeyId,
            baseKey.PublicKey,
            bundle.KyberPreKeyId,
            (byte[])encapsulation.Ciphertext.Clone(),
            _time.GetUtcNow().ToUnixTimeSeconds());
        return state;
    }
}
