using Google.Protobuf;
using SignalSharp.Keys;
using SignalSharp.Sessions.Protos;
using SignalSharp.Spqr;

namespace SignalSharp.Sessions;

/// <summary>
/// One session with one remote device: root key, sending chain, up to five receiving chains, SPQR state and
/// the handshake facts. Ciphers work on a <see cref="Clone"/> and keep it only when a message authenticated.
/// </summary>
internal sealed class SessionState
{
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
    }

    public int Version { get; }

    public IdentityKey LocalIdentity { get; }

    public IdentityKey RemoteIdentity { get; }

    public byte[] RootKey { get; set; }

    public uint PreviousCounter { get; set; }

    public ChainState SenderChain { get; set; }

    /// <summary>Receiving chains, oldest first.</summary>
    public List<ChainState> ReceiverChains { get; private init; } = [];

    public PendingPreKey? Pending { get; set; }

    public uint LocalRegistrationId { get; set; }

    public uint RemoteRegistrationId { get; set; }

    /// <summary>The initiator's base key: identifies the handshake (repeats of a PreKey message reuse the session).</summary>
    public EcPublicKey AliceBaseKey { get; }

    public SpqrState Spqr { get; set; }

    public ChainState? FindReceiverChain(EcPublicKey ratchetKey)
    {
        foreach (var chain in ReceiverChains)
        {
            if (chain.RatchetKey.Equals(ratchetKey))
            {
                return chain;
            }
        }

        return null;
    }

    public void AddReceiverChain(ChainState chain)
    {
        ReceiverChains.Add(chain);
        if (ReceiverChains.Count > MaxReceiverChains)
        {
            ReceiverChains.RemoveAt(0);
        }
    }

    /// <summary>True when the 30-day window of an unacknowledged session has passed.</summary>
    public bool IsStale(DateTimeOffset now)
        => Pending is { } p && p.TimestampSeconds + (long)SessionRecord.MaxUnacknowledgedAge.TotalSeconds < now.ToUnixTimeSeconds();

    public SessionState Clone() => new(Version, LocalIdentity, RemoteIdentity, RootKey, SenderChain.Clone(), AliceBaseKey, Spqr)
    {
        PreviousCounter = PreviousCounter,
        ReceiverChains = ReceiverChains.ConvertAll(c => c.Clone()),
        Pending = Pending,
        LocalRegistrationId = LocalRegistrationId,
        RemoteRegistrationId = RemoteRegistrationId,
    };

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

    /// <summary>Rebuilds a state from its stored form.</summary>
    /// <exception cref="InvalidKeyException">A stored key is malformed.</exception>
    /// <exception cref="InvalidMessageException">The SPQR state or another part is malformed.</exception>
    public static SessionState FromStructure(SessionStructure s)
    {
        if (s.SenderChain is null || s.RootKey.Length != 32)
        {
            throw new InvalidMessageException("session state is incomplete");
        }

        var state = new SessionState(
            (int)s.SessionVersion,
            IdentityKey.Deserialize(s.LocalIdentity.Span),
            IdentityKey.Deserialize(s.RemoteIdentity.Span),
            s.RootKey.ToByteArray(),
            FromStructure(s.SenderChain),
            EcPublicKey.Deserialize(s.AliceBaseKey.Span),
            SpqrState.Deserialize(s.SpqrState.Span))
        {
            PreviousCounter = s.PreviousCounter,
            LocalRegistrationId = s.LocalRegistrationId,
            RemoteRegistrationId = s.RemoteRegistrationId,
        };
        foreach (var chain in s.ReceiverChains)
        {
            state.ReceiverChains.Add(FromStructure(chain));
        }

        if (s.PendingPreKey is { } p)
        {
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

        foreach (var (index, seed) in chain.Skipped)
        {
            c.Skipped.Add(new SkippedSeedStructure { Index = index, Seed = ByteString.CopyFrom(seed) });
        }

        return c;
    }

    private static ChainState FromStructure(ChainStructure c)
    {
        if (c.ChainKey.Length != 32)
        {
            throw new InvalidMessageException("session chain is incomplete");
        }

        var chain = new ChainState(
            EcPublicKey.Deserialize(c.RatchetPublic.Span),
            c.RatchetPrivate.IsEmpty ? null : c.RatchetPrivate.ToByteArray(),
            c.ChainKey.ToByteArray(),
            c.Index);
        foreach (var skipped in c.Skipped)
        {
            chain.Skipped.Add((skipped.Index, skipped.Seed.ToByteArray()));
        }

        return chain;
    }
}
