using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Concurrency;
using SignalSharp.Crypto;
using SignalSharp.Groups.Chains;
using SignalSharp.Groups.Concurrency;

namespace SignalSharp.Groups;

/// <summary>
/// Sender-key group messaging over an <see cref="ISenderKeyStore"/>: creating and processing distribution
/// messages, encrypting once per group message, and decrypting with out-of-order delivery. Every operation
/// works on a copy of the stored record and stores it only when it succeeded (for decryption: only when the
/// message verified and decrypted), and operations on the same (sender, distribution id) run one at a time.
/// </summary>
public sealed class GroupCipher
{
    private readonly ISenderKeyStore _store;
    private readonly RandomSource _random;
    private readonly AsyncKeyedLock<SenderKeyName> _locks;

    /// <summary>Creates a cipher over a store.</summary>
    /// <param name="store">Where sender-key records live.</param>
    /// <param name="random">Randomness for new chains and signatures; defaults to <see cref="RandomSource.Secure"/>.</param>
    public GroupCipher(ISenderKeyStore store, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _random = random ?? RandomSource.Secure;
        _locks = SenderKeyLocks.For(store);
    }

    /// <summary>
    /// Returns the distribution message for the local device's chain in a group, creating the chain (random chain
    /// id, chain key and signing key) on first use. Later calls report the chain's current iteration and key, so a
    /// member who receives it can decrypt only messages sent from then on.
    /// </summary>
    /// <param name="self">The local device (the sender).</param>
    /// <param name="distributionId">The distribution id the local device uses for the group.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message to send to each member over its pairwise session.</returns>
    public async ValueTask<SenderKeyDistributionMessage> CreateDistributionMessageAsync(ProtocolAddress self, Guid distributionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        using var held = await _locks.AcquireAsync(new SenderKeyName(self, distributionId), cancellationToken).ConfigureAwait(false);
        using var record = await _store.LoadSenderKeyAsync(self, distributionId, cancellationToken).ConfigureAwait(false) ?? new SenderKeyRecord();
        var state = record.CurrentState;
        if (state is null)
        {
            AddFreshChain(record);
            await _store.StoreSenderKeyAsync(self, distributionId, record, cancellationToken).ConfigureAwait(false);
            state = record.CurrentState!;
        }

        return SenderKeyDistributionMessage.Create(distributionId, state.ChainId, state.ChainKey.Iteration, state.ChainKey.Key, state.SigningPublicKey);
    }

    /// <summary>
    /// Starts a new chain (new chain id, chain key and signing key) for the local device in a group, replacing the
    /// old one. Members learn it only from a new distribution message; members who do not receive it cannot
    /// decrypt anything sent afterwards. Call it when a member leaves.
    /// </summary>
    /// <param name="self">The local device (the sender).</param>
    /// <param name="distributionId">The distribution id the local device uses for the group.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The distribution message for the new chain.</returns>
    public async ValueTask<SenderKeyDistributionMessage> RotateAsync(ProtocolAddress self, Guid distributionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        using var held = await _locks.AcquireAsync(new SenderKeyName(self, distributionId), cancellationToken).ConfigureAwait(false);

        // The old chain is not kept: the sender never needs it again, and dropping it discards its signing key.
        using var record = new SenderKeyRecord();
        AddFreshChain(record);
        await _store.StoreSenderKeyAsync(self, distributionId, record, cancellationToken).ConfigureAwait(false);
        var state = record.CurrentState!;
        return SenderKeyDistributionMessage.Create(distributionId, state.ChainId, state.ChainKey.Iteration, state.ChainKey.Key, state.SigningPublicKey);
    }

    /// <summary>
    /// Records a chain a group member sent us. Processing the same message again, or an older message of a chain
    /// already known, changes nothing (a chain is never rewound).
    /// </summary>
    /// <param name="sender">The device that sent the distribution message (authenticated by the pairwise session it came through).</param>
    /// <param name="message">The distribution message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    public async ValueTask ProcessDistributionMessageAsync(ProtocolAddress sender, SenderKeyDistributionMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        var name = new SenderKeyName(sender, message.DistributionId);
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        using var record = await _store.LoadSenderKeyAsync(sender, message.DistributionId, cancellationToken).ConfigureAwait(false) ?? new SenderKeyRecord();
        if (record.AddState(message.MessageVersion, message.ChainId, message.Iteration, message.ChainKey, message.SigningKey, null))
        {
            await _store.StoreSenderKeyAsync(sender, message.DistributionId, record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Parses and records a distribution message (see <see cref="ProcessDistributionMessageAsync(ProtocolAddress, SenderKeyDistributionMessage, CancellationToken)"/>).</summary>
    /// <param name="sender">The device that sent the distribution message.</param>
    /// <param name="serializedMessage">The distribution message bytes as decrypted from the pairwise session.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    /// <exception cref="InvalidMessageException">The bytes are not a valid distribution message.</exception>
    public ValueTask ProcessDistributionMessageAsync(ProtocolAddress sender, ReadOnlyMemory<byte> serializedMessage, CancellationToken cancellationToken = default)
        => ProcessDistributionMessageAsync(sender, SenderKeyDistributionMessage.Parse(serializedMessage.Span), cancellationToken);

    /// <summary>Encrypts one group message with the local device's current chain.</summary>
    /// <param name="self">The local device (the sender).</param>
    /// <param name="distributionId">The distribution id the local device uses for the group.</param>
    /// <param name="plaintext">The message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed group message; its bytes are the same for every member.</returns>
    /// <exception cref="NoSenderKeyException">No chain exists yet: create a distribution message first.</exception>
    /// <exception cref="InvalidKeyException">The stored chain for this address is a received one (no signing key).</exception>
    public async ValueTask<SenderKeyMessage> EncryptAsync(ProtocolAddress self, Guid distributionId, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        using var held = await _locks.AcquireAsync(new SenderKeyName(self, distributionId), cancellationToken).ConfigureAwait(false);
        using var record = await _store.LoadSenderKeyAsync(self, distributionId, cancellationToken).ConfigureAwait(false);
        var state = record?.CurrentState
            ?? throw new NoSenderKeyException($"no sender key for {self} in distribution {distributionId}: create a distribution message first");
        var signingKey = state.SigningPrivateKey
            ?? throw new InvalidKeyException($"the sender key for {self} in distribution {distributionId} has no signing private key");

        SenderKeyMessage message;
        using (var messageKey = state.NextSendingKey())
        {
            byte[] ciphertext = messageKey.Encrypt(plaintext.Span);
            message = SenderKeyMessage.Create(distributionId, state.ChainId, messageKey.Iteration, ciphertext, signingKey, _random);
        }

        await _store.StoreSenderKeyAsync(self, distributionId, record!, cancellationToken).ConfigureAwait(false);
        return message;
    }

    /// <summary>Decrypts a group message.</summary>
    /// <param name="sender">The device that sent it.</param>
    /// <param name="serializedMessage">The group message bytes (untrusted).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="NoSenderKeyException">No chain from this sender for the message's distribution id and chain id.</exception>
    /// <exception cref="DuplicateMessageException">The message was already decrypted (or its key was dropped as too old).</exception>
    /// <exception cref="InvalidMessageException">The message is malformed, its signature does not verify, it is too far ahead, or it does not decrypt.</exception>
    public async ValueTask<byte[]> DecryptAsync(ProtocolAddress sender, ReadOnlyMemory<byte> serializedMessage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var message = SenderKeyMessage.Parse(serializedMessage.Span);
        using var held = await _locks.AcquireAsync(new SenderKeyName(sender, message.DistributionId), cancellationToken).ConfigureAwait(false);
        using var record = await _store.LoadSenderKeyAsync(sender, message.DistributionId, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSenderKeyException($"no sender key from {sender} for distribution {message.DistributionId}");
        var state = record.FindState(message.ChainId)
            ?? throw new NoSenderKeyException($"no sender key chain {message.ChainId} from {sender} for distribution {message.DistributionId}");
        if (message.MessageVersion != state.MessageVersion)
        {
            throw new InvalidMessageException($"sender key message version {message.MessageVersion} does not match the chain's version {state.MessageVersion}");
        }

        // The signature is checked before the chain moves, so a forged message cannot consume keys.
        if (!message.VerifySignature(state.SigningPublicKey))
        {
            throw new InvalidMessageException($"sender key message signature from {sender} does not verify");
        }

        byte[] plaintext;
        using (var messageKey = state.TakeReceivingKey(message.Iteration))
        {
            plaintext = messageKey.Decrypt(message.Ciphertext.Span);
        }

        await _store.StoreSenderKeyAsync(sender, message.DistributionId, record, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    private void AddFreshChain(SenderKeyRecord record)
    {
        Span<byte> random = stackalloc byte[4 + SenderChainKey.KeyLength];
        _random.Fill(random);

        // A 31-bit chain id, as libsignal draws it.
        uint chainId = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(random) >> 1;
        var signingKey = EcPrivateKey.Generate(_random);
        record.AddState(SenderKeyMessageVersion.Current, chainId, 0, random[4..], signingKey.PublicKey, signingKey);
        CryptographicOperations.ZeroMemory(random);
    }
}
