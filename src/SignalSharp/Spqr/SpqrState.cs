using SignalSharp.Crypto;
using SignalSharp.Spqr.Braid;

namespace SignalSharp.Spqr;

/// <summary>
/// One party's SPQR V1 state (Signal's Sparse Post-Quantum Ratchet): an ML-KEM-768 braid that moves one
/// 32-byte chunk per message and a symmetric chain that turns its epoch secrets into one 32-byte key per
/// message, used as the salt of the Double Ratchet message keys. Immutable: <see cref="Send(RandomSource)"/> and
/// <see cref="Receive(ReadOnlySpan{byte})"/> return the successor state, so a session commits it only after the whole
/// message has been processed successfully. Successor states share unchanged parts with their
/// predecessors, which is why this type does not wipe itself.
/// </summary>
internal sealed class SpqrState
{
    /// <summary>Size of the PQXDH-derived auth key and of every SPQR message key.</summary>
    public const int KeySize = 32;

    internal SpqrState(SpqrDirection direction, SpqrChain chain, BraidState braid)
    {
        Direction = direction;
        Chain = chain;
        Braid = braid;
    }

    /// <summary>The braid epoch: the epoch the next sent message carries (starts at 1).</summary>
    public long CurrentEpoch => (long)Braid.Epoch;

    /// <summary>This party's sending direction.</summary>
    internal SpqrDirection Direction { get; }

    /// <summary>The symmetric chain.</summary>
    internal SpqrChain Chain { get; }

    /// <summary>The braid state.</summary>
    internal BraidState Braid { get; }

    /// <summary>The name of the braid state, for diagnostics.</summary>
    internal string BraidStateName => Braid.Kind.ToString();

    /// <summary>
    /// Starts SPQR V1 for a new session (minimum version V1, chain limits: jumps up to 25,000, 2,000 stored
    /// out-of-order keys), as libsignal 0.103 does for every session between different identity keys (a session
    /// receives note-to-self messages without the jump limit, see <see cref="SessionCipher"/>).
    /// </summary>
    /// <param name="authKey32">The 32-byte SPQR auth key from PQXDH (bytes 64..96 of its KDF output).</param>
    /// <param name="direction"><see cref="SpqrDirection.A2B"/> for the initiator, <see cref="SpqrDirection.B2A"/> for the responder.</param>
    /// <returns>The initial state.</returns>
    /// <exception cref="InvalidKeyException">The auth key is not 32 bytes.</exception>
    public static SpqrState Initialize(ReadOnlySpan<byte> authKey32, SpqrDirection direction)
    {
        if (authKey32.Length != KeySize)
        {
            throw new InvalidKeyException($"SPQR auth key must be 32 bytes, got {authKey32.Length}");
        }

        if (direction is not (SpqrDirection.A2B or SpqrDirection.B2A))
        {
            throw new InvalidKeyException("unknown SPQR direction");
        }

        var chain = SpqrChain.Create(authKey32, direction);
        var authenticator = SpqrAuthenticator.Create(authKey32);
        BraidState braid = direction == SpqrDirection.A2B
            ? new KeysUnsampled(1, authenticator)
            : new NoHeaderReceived(1, authenticator, ChunkDecoder.Create(BraidSizes.HeaderPayload));
        return new SpqrState(direction, chain, braid);
    }

    /// <summary>Produces the SPQR message and key for the next outgoing message. Does not modify this state.</summary>
    /// <param name="random">Randomness for ML-KEM key generation and encapsulation.</param>
    /// <returns>The message for SignalMessage field 5, the 32-byte key and the successor state.</returns>
    public SpqrSendResult Send(RandomSource random)
    {
        var key = new byte[KeySize];
        var state = Send(random, key, out var message);
        return new SpqrSendResult(message, key, state);
    }

    /// <summary>
    /// <see cref="Send(RandomSource)"/> with the key written to <paramref name="key"/> (32 bytes, e.g. on the
    /// stack, which the per-message path prefers to a result object and a key array).
    /// </summary>
    internal SpqrState Send(RandomSource random, Span<byte> key, out byte[] message)
    {
        ArgumentNullException.ThrowIfNull(random);
        var outcome = Braid.Send(random);
        var chain = AbsorbSecret(Chain, outcome.Secret);
        ulong epoch = outcome.State.Epoch;
        chain = chain.SendKey(epoch - 1, out uint index, key);
        message = new SpqrMessage(epoch, index, outcome.Type, outcome.Chunk).Serialize();
        return new SpqrState(Direction, chain, outcome.State);
    }

    /// <summary>Processes the SPQR message of an incoming message. Does not modify this state.</summary>
    /// <param name="message">The content of SignalMessage field 5 (empty when the field is absent).</param>
    /// <returns>The 32-byte key (empty for a newer SPQR version, which is ignored) and the successor state.</returns>
    /// <exception cref="DuplicateMessageException">The message's key was already used.</exception>
    /// <exception cref="InvalidMessageException">
    /// The message is from a peer without SPQR (version 0), malformed, from an unavailable epoch, too far
    /// ahead or too old, or carries braid data that fails its MAC or hash checks.
    /// </exception>
    public SpqrReceiveResult Receive(ReadOnlySpan<byte> message) => Receive(message, unlimitedJumps: false);

    /// <summary>
    /// <see cref="Receive(ReadOnlySpan{byte})"/>, with no forward-jump limit when <paramref name="unlimitedJumps"/> is
    /// set: libsignal gives sessions whose two identity keys are equal (note-to-self between one's own devices)
    /// SPQR chain parameters with an unlimited jump, so such a peer may legitimately be more than 25,000 keys ahead.
    /// </summary>
    internal SpqrReceiveResult Receive(ReadOnlySpan<byte> message, bool unlimitedJumps) => Receive(message, unlimitedJumps, budget: null);

    /// <summary>
    /// <see cref="Receive(ReadOnlySpan{byte}, bool)"/>, taking the chain steps it needs from
    /// <paramref name="budget"/> (none taken when null) before deriving them.
    /// </summary>
    internal SpqrReceiveResult Receive(ReadOnlySpan<byte> message, bool unlimitedJumps, DerivationBudget? budget)
    {
        byte version = SpqrMessage.ReadVersion(message);
        if (version < SpqrMessage.Version1)
        {
            throw new InvalidMessageException("post-quantum ratchet error: Minimum version (peer sent no SPQR V1 message)");
        }

        if (version > SpqrMessage.Version1)
        {
            return new SpqrReceiveResult([], this);
        }

        var parsed = SpqrMessage.Parse(message);
        var outcome = Braid.Receive(parsed);
        var chain = AbsorbSecret(Chain, outcome.Secret);
        chain = chain.ReceiveKey(parsed.Epoch - 1, parsed.Index, unlimitedJumps, budget, out byte[] key);
        return new SpqrReceiveResult(key, new SpqrState(Direction, chain, outcome.State));
    }

    /// <summary>Skipped receiving keys held for out-of-order messages.</summary>
    internal int SkippedKeyCount => Chain.SkippedKeyCount;

    /// <summary>This state with up to <paramref name="excess"/> skipped keys dropped, oldest first; <paramref name="excess"/> is reduced by the number dropped.</summary>
    internal SpqrState WithoutOldestSkippedKeys(ref int excess)
    {
        int before = excess;
        var chain = Chain.WithoutOldestSkippedKeys(ref excess);
        return excess == before ? this : new SpqrState(Direction, chain, Braid);
    }

    /// <summary>Serializes the state into SignalSharp's local, versioned storage format.</summary>
    /// <returns>The encoded state (contains secrets: store it like a session record).</returns>
    public byte[] Serialize() => SpqrStateSerializer.Serialize(this);

    /// <summary>Restores a state written by <see cref="Serialize"/>.</summary>
    /// <param name="serialized">The encoded state.</param>
    /// <returns>The state.</returns>
    /// <exception cref="InvalidMessageException">The bytes are not a valid SPQR state.</exception>
    public static SpqrState Deserialize(ReadOnlySpan<byte> serialized) => SpqrStateSerializer.Deserialize(serialized);

    private static SpqrChain AbsorbSecret(SpqrChain chain, EpochSecret? secret)
    {
        if (secret is null)
        {
            return chain;
        }

        var updated = chain.AddEpoch(secret.Epoch, secret.Secret);
        secret.Wipe();
        return updated;
    }
}
