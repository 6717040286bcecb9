using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Diagnostics;
using SignalSharp.Keys;
using SignalSharp.Ratchet;
using SignalSharp.Spqr;
using SignalSharp.Wire;

namespace SignalSharp.Sessions;

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
    {
        if (message.MessageVersion != state.Version)
        {
            throw new InvalidMessageException($"message version {message.MessageVersion} does not match session version {state.Version}");
        }

        ChainState chain;
        try
        {
            chain = state.FindReceiverChainForUpdate(message.RatchetKey) ?? StepRatchet(state, message.RatchetKey, random);
        }
        catch (InvalidKeyException e)
        {
            // A low-order ratchet key makes the agreement all-zero: the message is bad, not our keys.
            throw new InvalidMessageException("message carries an unusable ratchet key", e);
        }

        bool unlimited = ServiceIdBinary.IsSameAccount(local, remote, state.LocalIdentity.Equals(state.RemoteIdentity));
        Span<byte> seed = stackalloc byte[ChainKdf.KeySize];
        Span<byte> keys = stackalloc byte[MessageKeys.Size];
        try
        {
            TakeSeed(chain, message.Counter, unlimited, seed);
            var spqr = ReceiveSpqr(state, message);
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
    private static Spqr.SpqrReceiveResult ReceiveSpqr(SessionState state, SignalMessage message)
    {
        try
        {
            // As libsignal: a session between equal identity keys (note-to-self) has no SPQR jump limit.
            return state.Spqr.Receive(message.PqRatchetSpan, unlimitedJumps: state.LocalIdentity.Equals(state.RemoteIdentity));
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

    /// <summary>Writes the seed for <paramref name="counter"/> to <paramref name="seed"/>: a stored skipped one, or the chain advanced to it.</summary>
    private static void TakeSeed(ChainState chain, uint counter, bool unlimited, Span<byte> seed)
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

        var chainKey = chain.ChainKey;
        if (counter > chain.Index)
        {
            // Only the newest MaxSkippedKeysPerChain seeds could be kept, so older ones are not even computed.
            uint keepFrom = counter - chain.Index > MaxSkippedKeysPerChain ? counter - MaxSkippedKeysPerChain : chain.Index;
            var newSeeds = new List<(uint Index, byte[] Seed)>((int)(counter - keepFrom));
            for (uint i = chain.Index; i < counter; i++)
            {
                var (seedAt, following) = ChainKdf.Step(chainKey);
                if (i >= keepFrom)
                {
                    newSeeds.Add((i, seedAt));
                }
                else
                {
                    CryptographicOperations.ZeroMemory(seedAt);
                }

                // Intermediate chain keys are ours alone; the chain's own key may be shared with the stored copy.
                if (!ReferenceEquals(chainKey, chain.ChainKey))
                {
                    CryptographicOperations.ZeroMemory(chainKey);
                }

                chainKey = following;
            }

            newSeeds.Reverse();
            chain.Skipped.InsertRange(0, newSeeds);
        }

        if (chain.SkippedCount > MaxSkippedKeysPerChain)
        {
            chain.Skipped.RemoveRange(MaxSkippedKeysPerChain, chain.Skipped.Count - MaxSkippedKeysPerChain);
        }

        var next = ChainKdf.Step(chainKey, seed);
        if (!ReferenceEquals(chainKey, chain.ChainKey))
        {
            CryptographicOperations.ZeroMemory(chainKey);
        }

        chain.ChainKey = next;
        chain.Index = counter + 1;
    }
}
