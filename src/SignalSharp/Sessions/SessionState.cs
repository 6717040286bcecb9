using System.Diagnostics;
using Google.Protobuf;
using SignalSharp;
using SignalSharp.Ratchet;
using SignalSharp.Sessions.Protos;
using SignalSharp.Spqr;

namespace SignalSharp;

/// <summary>
/// One session with one remote device: root key, sending chain, up to five receiving chains, SPQR state and
/// the handshake facts. Ciphers work on a <see cref="Clone"/> and keep it only when a message authenticated.
/// A state held by a record is never changed in place, so records and clones share states, chains and the
/// list of receiving chains; a clone copies that list (and the one chain it changes) only when it changes them.
/// </summary>
internal sealed class SessionState
{
    private List<ChainState> _receiverChains;

    // True while _receiverChains may be shared with the state this one was cloned from.
    private bool _receiverChainsShared;

    private static long s_lastCloneId;

    // False in a clone: then only the receiving chains it created or copied (marked with its CloneId) may be
    // changed in place. A state built from scratch owns all of its chains.
    private bool _ownsAllChains = true;

    /// <summary>Receiving chains kept (oldest dropped).</summary>
    public const int MaxReceiverChains = 5;

    public SessionState(
        int version,
        IdentityKey localIdentity,
        IdentityKey remoteIdentity,
        byte[] rootKey,
        ChainState senderChain,
        EcPublicKey aliceBaseKey,
        SpqrState spqr)
    {
        Version = version;
        LocalIdentity = localIdentity;
        RemoteIdentity = remoteIdentity;
        RootKey = rootKey;
        SenderChain = senderChain;
        AliceBaseKey = aliceBaseKey;
        Spqr = spqr;
        _receiverChains = [];
    }

    // A clone of original sharing its receiving chains (see Clone).
    private SessionState(SessionState original)
    {
        Version = original.Version;
        LocalIdentity = original.LocalIdentity;
        RemoteIdentity = original.RemoteIdentity;
        RootKey = original.RootKey;
        PreviousCounter = original.PreviousCounter;
        SenderChain = original.SenderChain;
        _receiverChains = original._receiverChains;
        _receiverChainsShared = true;
        _ownsAllChains = false;
        CloneId = Interlocked.Increment(ref s_lastCloneId);
        Pending = original.Pending;
        LocalRegistrationId = original.LocalRegistrationId;
        RemoteRegistrationId = original.RemoteRegistrationId;
        AliceBaseKey = original.AliceBaseKey;
        Spqr = original.Spqr;
        SendingRetired = original.SendingRetired;
    }

    public int Version { get; }

    /// <summary>A process-unique id of a clone (0 for a state built from scratch), which marks the chains it owns.</summary>
    public long CloneId { get; }

    public IdentityKey LocalIdentity { get; }

    public IdentityKey RemoteIdentity { get; }

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public byte[] RootKey { get; set; }

    public uint PreviousCounter { get; set; }

    public ChainState SenderChain { get; set; }

    /// <summary>Receiving chains, oldest first.</summary>
    public IReadOnlyList<ChainState> ReceiverChains => _receiverChains;

    public PendingPreKey? Pending { get; set; }

    public uint LocalRegistrationId { get; set; }

    public uint RemoteRegistrationId { get; set; }

    /// <summary>The initiator's base key: identifies the handshake (repeats of a PreKey message reuse the session).</summary>
    public EcPublicKey AliceBaseKey { get; }

    public SpqrState Spqr { get; set; }

    /// <summary>
    /// True for a state restored from a backup: its sending chain may have been used by the original device after
    /// the backup, so it never sends again (it still decrypts) and is never made current.
    /// </summary>
    public bool SendingRetired { get; set; }

    /// <summary>
    /// The receiving chain named by <paramref name="ratchetKey"/>, as a private copy this state may change
    /// (the original may be shared with the record the state was cloned from), or null.
    /// </summary>
    public ChainState? FindReceiverChainForUpdate(EcPublicKey ratchetKey)
    {
        for (int i = 0; i < _receiverChains.Count; i++)
        {
            if (_receiverChains[i].RatchetKey.Equals(ratchetKey))
            {
                var chain = _receiverChains[i];
                if (_ownsAllChains || chain.OwnerCloneId == CloneId)
                {
                    return chain;
                }

                UnshareReceiverChains();
                var copy = chain.Clone();
                _receiverChains[i] = copy;
                copy.OwnerCloneId = CloneId;
                return copy;
            }
        }

        return null;
    }

    /// <summary>True when a receiving chain under <paramref name="ratchetKey"/> exists (nothing is copied).</summary>
    public bool HasReceiverChain(EcPublicKey ratchetKey)
    {
        foreach (var chain in _receiverChains)
        {
            if (chain.RatchetKey.Equals(ratchetKey))
            {
                return true;
            }
        }

        return false;
    }

    public void AddReceiverChain(ChainState chain)
    {
        UnshareReceiverChains();
        if (!_ownsAllChains)
        {
            chain.OwnerCloneId = CloneId;
        }

        _receiverChains.Add(chain);
        if (_receiverChains.Count > MaxReceiverChains)
        {
            _receiverChains.RemoveAt(0);
        }
    }

    /// <summary>Skipped Double Ratchet seeds over all receiving chains.</summary>
    public int SkippedSeedCount
    {
        get
        {
            int count = 0;
            foreach (var chain in _receiverChains)
            {
                count += chain.SkippedCount;
            }

            return count;
        }
    }

    /// <summary>
    /// A copy of this state with up to <paramref name="excess"/> skipped seeds dropped, oldest receiving chain and
    /// lowest index first (this state, which records may share, is left as it is); <paramref name="excess"/> is
    /// reduced by the number dropped.
    /// </summary>
    public SessionState WithoutOldestSkippedSeeds(ref int excess)
    {
        var copy = Clone();
        copy.UnshareReceiverChains();
        for (int i = 0; i < copy._receiverChains.Count && excess > 0; i++)
        {
            var chain = copy._receiverChains[i];
            int drop = Math.Min(excess, chain.SkippedCount);
            if (drop > 0)
            {
                // Seeds are listed newest first.
                var trimmed = chain.Clone();
                trimmed.Skipped.RemoveRange(trimmed.SkippedCount - drop, drop);
                trimmed.OwnerCloneId = copy.CloneId;
                copy._receiverChains[i] = trimmed;
                excess -= drop;
            }
        }

        return copy;
    }

    /// <summary>A copy of this state with up to <paramref name="excess"/> skipped SPQR keys dropped, oldest first.</summary>
    public SessionState WithoutOldestSkippedSpqrKeys(ref int excess)
    {
        var copy = Clone();
        copy.Spqr = Spqr.WithoutOldestSkippedKeys(ref excess);
        return copy;
    }

    /// <summary>True when the 30-day window of an unacknowledged session has passed.</summary>
    public bool IsStale(DateTimeOffset now)
        => Pending is { } p && p.TimestampSeconds + (long)SessionRecord.MaxUnacknowledgedAge.TotalSeconds < now.ToUnixTimeSeconds();

    /// <summary>
    /// A copy to work on. Cheap: it shares the chains (the sending chain is replaced, never changed; receiving
    /// chains are copied on first change), byte arrays (never modified in place) and the immutable SPQR state.
    /// The state cloned from must not be changed afterwards (records only ever hold such states).
    /// </summary>
    public SessionState Clone() => new(this);

    /// <summary>Gives this state its own list of receiving chains before it changes the list.</summary>
    private void UnshareReceiverChains()
    {
        if (_receiverChainsShared)
        {
            _receiverChains = [.. _receiverChains];
            _receiverChainsShared = false;
        }
    }

    public SessionStructure ToStructure()
    {
        var s = new SessionStructure
        {
            SessionVersion = (uint)Version,
            LocalIdentity = ByteString.CopyFrom(LocalIdentity.Serialize()),
            RemoteIdentity = ByteString.CopyFrom(RemoteIdentity.Serialize()),
            RootKey = ByteString.CopyFrom(RootKey),
            PreviousCounter = PreviousCounter,
            SenderChain = ToStructure(SenderChain),
            LocalRegistrationId = LocalRegistrationId,
            RemoteRegistrationId = RemoteRegistrationId,
            AliceBaseKey = ByteString.CopyFrom(AliceBaseKey.Serialize()),
            SpqrState = ByteString.CopyFrom(Spqr.Serialize()),
            SendingRetired = SendingRetired,
        };
        foreach (var chain in ReceiverChains)
        {
            s.ReceiverChains.Add(ToStructure(chain));
        }

        if (Pending is { } p)
        {
            s.PendingPreKey = new PendingPreKeyStructure
            {
                SignedPreKeyId = p.SignedPreKeyId,
                BaseKey = ByteString.CopyFrom(p.BaseKey.Serialize()),
                KyberPreKeyId = p.KyberPreKeyId,
                KyberCiphertext = ByteString.CopyFrom(p.KyberCiphertext),
                TimestampSeconds = p.TimestampSeconds,
            };
            if (p.PreKeyId is { } id)
            {
                s.PendingPreKey.PreKeyId = id;
            }
        }

        return s;
    }

    /// <summary>Rebuilds a state from its stored form, checking every field (stored bytes are untrusted too).</summary>
    /// <exception cref="InvalidRecordException">A field is missing, malformed or out of range.</exception>
    public static SessionState FromStructure(SessionStructure s)
    {
        if (s.SessionVersion is < 3 or > (uint)MessageVersion.Current)
        {
            throw new InvalidRecordException($"session state has version {s.SessionVersion}");
        }

        if (s.SenderChain is null || s.RootKey.Length != ChainKdf.KeySize)
        {
            throw new InvalidRecordException("session state is incomplete");
        }

        if (s.ReceiverChains.Count > MaxReceiverChains)
        {
            throw new InvalidRecordException($"session state holds {s.ReceiverChains.Count} receiving chains, more than {MaxReceiverChains}");
        }

        try
        {
            var state = new SessionState(
                (int)s.SessionVersion,
                IdentityKey.Deserialize(s.LocalIdentity.Span),
                IdentityKey.Deserialize(s.RemoteIdentity.Span),
                s.RootKey.ToByteArray(),
                FromStructure(s.SenderChain, sending: true),
                EcPublicKey.Deserialize(s.AliceBaseKey.Span),
                SpqrState.Deserialize(s.SpqrState.Span))
            {
                PreviousCounter = s.PreviousCounter,
                LocalRegistrationId = s.LocalRegistrationId,
                RemoteRegistrationId = s.RemoteRegistrationId,
                SendingRetired = s.SendingRetired,
            };
            foreach (var chain in s.ReceiverChains)
            {
                state._receiverChains.Add(FromStructure(chain, sending: false));
            }

            if (s.PendingPreKey is { } p)
            {
                if (p.KyberCiphertext.Length != 1 + KemAlgorithm.CiphertextSize)
                {
                    throw new InvalidRecordException("pending pre-key holds a Kyber ciphertext of the wrong length");
                }

                state.Pending = new PendingPreKey(
                    p.HasPreKeyId ? p.PreKeyId : null,
                    p.SignedPreKeyId,
                    EcPublicKey.Deserialize(p.BaseKey.Span),
                    p.KyberPreKeyId,
                    p.KyberCiphertext.ToByteArray(),
                    p.TimestampSeconds);
            }

            return state;
        }
        catch (InvalidRecordException)
        {
            throw;
        }
        catch (SignalProtocolException e)
        {
            throw new InvalidRecordException("session state holds an invalid key or SPQR state: " + e.Message, e);
        }
    }

    private static ChainStructure ToStructure(ChainState chain)
    {
        var c = new ChainStructure
        {
            RatchetPublic = ByteString.CopyFrom(chain.RatchetKey.Serialize()),
            ChainKey = ByteString.CopyFrom(chain.ChainKey),
            Index = chain.Index,
        };
        if (chain.RatchetPrivateKey is not null)
        {
            c.RatchetPrivate = ByteString.CopyFrom(chain.RatchetPrivateKey);
        }

        foreach (var (index, seed) in chain.SkippedSeeds)
        {
            c.Skipped.Add(new SkippedSeedStructure { Index = index, Seed = ByteString.CopyFrom(seed) });
        }

        return c;
    }

    private static ChainState FromStructure(ChainStructure c, bool sending)
    {
        if (c.ChainKey.Length != ChainKdf.KeySize)
        {
            throw new InvalidRecordException("session chain is incomplete");
        }

        // Only the sending chain has our private ratchet key, and only receiving chains skip messages.
        if (sending ? c.RatchetPrivate.Length != EcPrivateKey.SerializedLength : !c.RatchetPrivate.IsEmpty)
        {
            throw new InvalidRecordException("session chain has a missing, misplaced or malformed private ratchet key");
        }

        if (c.Skipped.Count > (sending ? 0 : SessionRatchet.MaxSkippedKeysPerChain))
        {
            throw new InvalidRecordException($"session chain holds {c.Skipped.Count} skipped seeds");
        }

        var chain = new ChainState(
            EcPublicKey.Deserialize(c.RatchetPublic.Span),
            c.RatchetPrivate.IsEmpty ? null : c.RatchetPrivate.ToByteArray(),
            c.ChainKey.ToByteArray(),
            c.Index);
        foreach (var skipped in c.Skipped)
        {
            if (skipped.Seed.Length != ChainKdf.KeySize || skipped.Index >= c.Index)
            {
                throw new InvalidRecordException("session chain holds a malformed skipped seed");
            }

            chain.Skipped.Add((skipped.Index, skipped.Seed.ToByteArray()));
        }

        return chain;
    }
}
