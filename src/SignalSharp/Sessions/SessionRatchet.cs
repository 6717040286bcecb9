using System.Buffers;
using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;
using SignalSharp.Ratchet;
using SignalSharp.Spqr;

namespace SignalSharp;

/// <summary>
/// The triple ratchet on one <see cref="SessionState"/>: Double-Ratchet chains plus an SPQR key salting every
/// message key. Both operations mutate the state they are given, so callers pass a clone and keep it only
/// on success. They never change a chain the clone shares with its original: the sending chain is replaced,
/// a receiving chain is taken through <see cref="SessionState.FindReceiverChainForUpdate"/>.
/// </summary>
internal static class SessionRatchet
{
    /// <summary>How far ahead of a chain a message may be.</summary>
    public const uint MaxForwardJumps = 25_000;

    /// <summary>Skipped-message seeds kept per receiving chain.</summary>
    public const int MaxSkippedKeysPerChain = 2_000;

    /// <summary>Encrypts one message in <paramref name="state"/> and advances its sending chain and SPQR state.</summary>
    public static CiphertextMessage Encrypt(SessionState state, ReadOnlySpan<byte> plaintext, ProtocolAddress local, ProtocolAddress remote, RandomSource random)
    {
        var chain = state.SenderChain;
        Span<byte> spqrKey = stackalloc byte[SpqrState.KeySize];
        Span<byte> seed = stackalloc byte[ChainKdf.KeySize];
        Span<byte> keys = stackalloc byte[MessageKeys.Size];
        byte[]? nextChainKey = null;
        bool advanced = false;
        try
        {
            var spqr = state.Spqr.Send(random, spqrKey, out var spqrMessage);
            nextChainKey = ChainKdf.Step(chain.ChainKey, seed);
            MessageKeys.Derive(seed, spqrKey, keys);
            if (ProtocolTrace.Sink is { } trace)
            {
                trace.Record("chain.key", chain.ChainKey);
                TraceMessageKeys(trace, chain.Index, seed, spqrKey, keys);
            }

            var body = Aes256Cbc.Encrypt(MessageKeys.CipherKeyOf(keys), MessageKeys.IvOf(keys), plaintext);
            var pending = state.Pending;
            var message = SignalMessage.Create(
                state.Version,
                MessageKeys.MacKeyOf(keys),
                chain.RatchetKey,
                chain.Index,
                state.PreviousCounter,
                body,
                state.LocalIdentity,
                state.RemoteIdentity,
                spqrMessage,
                pending is null ? null : ServiceIdBinary.Addresses(local, remote));

            state.SenderChain = chain.Advance(nextChainKey);
            advanced = true;
            state.Spqr = spqr;
            if (pending is null)
            {
                return message;
            }

            return PreKeySignalMessage.Create(
                state.Version,
                state.LocalRegistrationId,
                pending.PreKeyId,
                pending.SignedPreKeyId,
                pending.KyberPreKeyId,
                pending.KyberCiphertext,
                pending.BaseKey,
                state.LocalIdentity,
                message);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(keys);
            CryptographicOperations.ZeroMemory(spqrKey);
            if (!advanced && nextChainKey is not null)
            {
                CryptographicOperations.ZeroMemory(nextChainKey);
            }
        }
    }

    /// <summary>
    /// Decrypts <paramref name="message"/> in <paramref name="state"/>, advancing the state; throws when the
    /// message does not authenticate (the state is then garbage and must be dropped).
    /// </summary>
    /// <exception cref="DuplicateMessageException">The message's key was already used.</exception>
    /// <exception cref="InvalidMessageException">The message does not belong to this session or is corrupt.</exception>
    public static byte[] Decrypt(SessionState state, SignalMessage message, ProtocolAddress local, ProtocolAddress remote, RandomSource random)
        => Decrypt(state, message, local, remote, random, budget: null);

    /// <summary>
    /// <see cref="Decrypt(SessionState, SignalMessage, ProtocolAddress, ProtocolAddress, RandomSource)"/>, taking the
    /// chain steps the message needs from <paramref name="budget"/> before deriving them (note-to-self sessions,
    /// which have no jump limit, take nothing from it).
    /// </summary>
    /// <exception cref="DuplicateMessageException">The message's key was already used.</exception>
    /// <exception cref="InvalidMessageException">The message does not belong to this session, is corrupt, or needs more derivations than <paramref name="budget"/> has left.</exception>
    public static byte[] Decrypt(SessionState state, SignalMessage message, ProtocolAddress local, ProtocolAddress remote, RandomSource random, DerivationBudget? budget)
    {
        if (message.MessageVersion != state.Version)
        {
            throw new InvalidMessageException($"message version {message.MessageVersion} does not match session version {state.Version}");
        }

        bool identitiesEqual = state.LocalIdentity.Equals(state.RemoteIdentity);
        bool unlimited = ServiceIdBinary.IsSameAccount(local, remote, identitiesEqual);
        var chainBudget = unlimited ? null : budget;
        ChainState chain;
        try
        {
            chain = state.FindReceiverChainForUpdate(message.RatchetKey) ?? StepRatchetFor(state, message, unlimited, chainBudget, random);
        }
        catch (InvalidKeyException e)
        {
            // A low-order ratchet key makes the agreement all-zero: the message is bad, not our keys.
            throw new InvalidMessageException("message carries an unusable ratchet key", e);
        }

        Span<byte> seed = stackalloc byte[ChainKdf.KeySize];
        Span<byte> keys = stackalloc byte[MessageKeys.Size];
        var passed = default(PassedSeeds);
        try
        {
            TakeSeed(chain, message.Counter, unlimited, chainBudget, seed, ref passed);
            var spqr = ReceiveSpqr(state, message, identitiesEqual ? null : budget);
            try
            {
                MessageKeys.Derive(seed, spqr.Key, keys);
                if (ProtocolTrace.Sink is { } trace)
                {
                    TraceMessageKeys(trace, message.Counter, seed, spqr.Key, keys);
                }

                if (!message.VerifyMac(state.RemoteIdentity, state.LocalIdentity, MessageKeys.MacKeyOf(keys)))
                {
                    throw new InvalidMessageException("MAC verification failed");
                }

                if (message.HasAddresses)
                {
                    var expected = ServiceIdBinary.Addresses(remote, local);
                    if (expected is null || !CryptographicOperations.FixedTimeEquals(expected, message.AddressesSpan))
                    {
                        throw new InvalidMessageException("Address mismatch");
                    }
                }

                var plaintext = Aes256Cbc.Decrypt(MessageKeys.CipherKeyOf(keys), MessageKeys.IvOf(keys), message.CiphertextSpan);
                StorePassedSeeds(chain, ref passed);
                state.Spqr = spqr.NewState;
                state.Pending = null;
                return plaintext;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(spqr.Key);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(keys);
            passed.Release();
        }
    }

    private static void TraceMessageKeys(IProtocolTraceSink trace, uint counter, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> spqrKey, ReadOnlySpan<byte> keys)
    {
        trace.Record("message.counter", counter);
        trace.Record("message.seed", seed);
        trace.Record("spqr.message_key", spqrKey);
        trace.Record("message.cipher_key", MessageKeys.CipherKeyOf(keys));
        trace.Record("message.mac_key", MessageKeys.MacKeyOf(keys));
        trace.Record("message.iv", MessageKeys.IvOf(keys));
    }

    /// <summary>
    /// SPQR's key for this message. Only the Double Ratchet decides "duplicate" (it knows the chain position);
    /// an SPQR complaint about a message whose chain position is fresh means the message does not belong
    /// here, which must not stop trial decryption in other sessions.
    /// </summary>
    private static Spqr.SpqrReceiveResult ReceiveSpqr(SessionState state, SignalMessage message, DerivationBudget? budget)
    {
        try
        {
            // As libsignal: a session between equal identity keys (note-to-self) has no SPQR jump limit.
            return state.Spqr.Receive(message.PqRatchetSpan, unlimitedJumps: state.LocalIdentity.Equals(state.RemoteIdentity), budget);
        }
        catch (DuplicateMessageException e)
        {
            throw new InvalidMessageException("post-quantum ratchet rejected the message", e);
        }
    }

    /// <summary>A Diffie-Hellman ratchet step on a new ratchet key from the peer.</summary>
    private static ChainState StepRatchet(SessionState state, EcPublicKey theirRatchetKey, RandomSource random)
    {
        var sender = state.SenderChain;
        if (sender.RatchetPrivateKey is null)
        {
            throw new InvalidMessageException("session has no sending ratchet key");
        }

        byte[] rootKey;
        byte[] receiverChainKey;
        using (var ours = EcPrivateKey.Deserialize(sender.RatchetPrivateKey))
        {
            (rootKey, receiverChainKey) = RootKdf.Step(state.RootKey, ours, theirRatchetKey);
        }

        var receiver = new ChainState(theirRatchetKey, null, receiverChainKey, 0);
        state.AddReceiverChain(receiver);

        byte[] newRootKey;
        byte[] senderChainKey;
        using var next = EcKeyPair.Generate(random);
        try
        {
            (newRootKey, senderChainKey) = RootKdf.Step(rootKey, next.PrivateKey, theirRatchetKey);
        }
        finally
        {
            // The root key between the two halves of the step is this call's alone (unlike the state's own keys,
            // which copies of the record share).
            CryptographicOperations.ZeroMemory(rootKey);
        }

        state.RootKey = newRootKey;
        state.PreviousCounter = sender.Index == 0 ? 0 : sender.Index - 1;
        state.SenderChain = new ChainState(next.PublicKey, next.PrivateKey.Serialize(), senderChainKey, 0);
        return receiver;
    }

    /// <summary>
    /// The DH ratchet step for a message under a ratchet key no receiving chain knows. The new chain starts at
    /// index 0, so the walk the message needs is known before the step: a message too far ahead, or beyond what
    /// <paramref name="budget"/> has left, is refused without the two agreements and the key generation.
    /// </summary>
    private static ChainState StepRatchetFor(SessionState state, SignalMessage message, bool unlimited, DerivationBudget? budget, RandomSource random)
    {
        if (!unlimited && message.Counter > MaxForwardJumps)
        {
            throw new InvalidMessageException("message from too far into the future");
        }

        budget?.EnsureLeft(message.Counter + 1L);

        return StepRatchet(state, message.RatchetKey, random);
    }

    /// <summary>
    /// Writes the seed for <paramref name="counter"/> to <paramref name="seed"/>: a stored skipped one, or the chain
    /// advanced to it. Seeds of positions passed over are collected in <paramref name="passed"/> (pooled, not
    /// yet in the chain): they are kept only once the message authenticated (<see cref="StorePassedSeeds"/>).
    /// </summary>
    private static void TakeSeed(ChainState chain, uint counter, bool unlimited, DerivationBudget? budget, Span<byte> seed, ref PassedSeeds passed)
    {
        if (counter < chain.Index)
        {
            int found = chain.SkippedCount == 0 ? -1 : chain.Skipped.FindIndex(s => s.Index == counter);
            if (found < 0)
            {
                throw new DuplicateMessageException($"message with counter {counter} already received (chain at {chain.Index})");
            }

            // Copied out, not wiped: the stored array may be shared with the untouched original state.
            chain.Skipped[found].Seed.CopyTo(seed);
            chain.Skipped.RemoveAt(found);
            return;
        }

        if (!unlimited && counter - chain.Index > MaxForwardJumps)
        {
            throw new InvalidMessageException("message from too far into the future");
        }

        budget?.Take(counter - chain.Index + 1L);
        if (counter == chain.Index)
        {
            chain.ChainKey = ChainKdf.Step(chain.ChainKey, seed);
            chain.Index = counter + 1;
            return;
        }

        // The walk runs on the stack and allocates nothing per step; only the newest MaxSkippedKeysPerChain seeds
        // could be kept, so they go to a pooled buffer and older ones are not even kept there.
        uint keepFrom = counter - chain.Index > MaxSkippedKeysPerChain ? counter - MaxSkippedKeysPerChain : chain.Index;
        passed = PassedSeeds.Rent(keepFrom, (int)(counter - keepFrom));
        Span<byte> chainKey = stackalloc byte[ChainKdf.KeySize];
        Span<byte> following = stackalloc byte[ChainKdf.KeySize];
        Span<byte> dropped = stackalloc byte[ChainKdf.KeySize];
        chain.ChainKey.CopyTo(chainKey);
        try
        {
            for (uint i = chain.Index; i < counter; i++)
            {
                ChainKdf.Step(chainKey, i >= keepFrom ? passed.SeedAt(i) : dropped, following);
                following.CopyTo(chainKey);
            }

            chain.ChainKey = ChainKdf.Step(chainKey, seed);
            chain.Index = counter + 1;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(chainKey);
            CryptographicOperations.ZeroMemory(following);
            CryptographicOperations.ZeroMemory(dropped);
        }
    }

    /// <summary>Keeps the seeds an authenticated message passed over (newest first) and trims the chain to its limit.</summary>
    private static void StorePassedSeeds(ChainState chain, ref PassedSeeds passed)
    {
        if (passed.Count > 0)
        {
            var newSeeds = new (uint Index, byte[] Seed)[passed.Count];
            for (int n = 0; n < passed.Count; n++)
            {
                uint index = passed.FirstIndex + (uint)(passed.Count - 1 - n);
                newSeeds[n] = (index, passed.SeedAt(index).ToArray());
            }

            chain.Skipped.InsertRange(0, newSeeds);
        }

        if (chain.SkippedCount > MaxSkippedKeysPerChain)
        {
            chain.Skipped.RemoveRange(MaxSkippedKeysPerChain, chain.Skipped.Count - MaxSkippedKeysPerChain);
        }
    }

    /// <summary>Seeds of passed-over chain positions, in a pooled buffer wiped when it is released.</summary>
    private struct PassedSeeds
    {
        private byte[]? _buffer;

        public uint FirstIndex { get; private set; }

        public int Count { get; private set; }

        public static PassedSeeds Rent(uint firstIndex, int count) => new()
        {
            _buffer = count == 0 ? null : ArrayPool<byte>.Shared.Rent(count * ChainKdf.KeySize),
            FirstIndex = firstIndex,
            Count = count,
        };

        public readonly Span<byte> SeedAt(uint index) => _buffer.AsSpan((int)(index - FirstIndex) * ChainKdf.KeySize, ChainKdf.KeySize);

        public void Release()
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
                _buffer = null;
            }

            Count = 0;
        }
    }
}
