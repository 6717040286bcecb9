using Google.Protobuf;
using SignalSharp;
using SignalSharp.Sessions.Protos;

namespace SignalSharp;

/// <summary>
/// Everything stored for one remote device: the current session and up to <see cref="MaxArchivedStates"/>
/// archived ones (newest first), which are tried when a message does not decrypt in the current one
/// (Sesame). Records are plain values: a store hands out a private copy and takes one back.
/// </summary>
public sealed class SessionRecord
{
    /// <summary>How many archived sessions are kept.</summary>
    public const int MaxArchivedStates = 40;

    /// <summary>
    /// How many skipped-message seeds of the Double Ratchet the record keeps over all its sessions; beyond it the
    /// oldest are dropped (archived sessions before the current one, oldest first; in a session its oldest
    /// receiving chain first; in a chain the lowest counters first). Each receiving chain also keeps at most
    /// 2,000. Without a record-wide bound a peer could make every record hold 41 × 5 × 2,000 of them.
    /// </summary>
    public const int MaxSkippedMessageKeys = 5_000;

    /// <summary>How many skipped SPQR keys the record keeps over all its sessions, dropped in the same order as <see cref="MaxSkippedMessageKeys"/>.</summary>
    public const int MaxSkippedSpqrKeys = 5_000;

    /// <summary>How long an initiator's session may stay unanswered before it is no longer used for sending.</summary>
    public static readonly TimeSpan MaxUnacknowledgedAge = TimeSpan.FromDays(30);

    private const uint FormatVersion = 1;

    private List<SessionState> _archived;

    // True while _archived may be shared with another copy of this record (copied before it changes).
    private bool _archivedShared;

    /// <summary>Creates an empty record (no session).</summary>
    public SessionRecord()
    {
        _archived = [];
    }

    // A copy sharing the archived list (see Clone).
    private SessionRecord(SessionState? current, List<SessionState> archived)
    {
        Current = current;
        _archived = archived;
        _archivedShared = true;
    }

    /// <summary>True when the record holds a current session (which may still be stale; see <see cref="HasUsableSession"/>).</summary>
    public bool HasCurrentState => Current is not null;

    /// <summary>The number of archived sessions.</summary>
    public int ArchivedStateCount => _archived.Count;

    /// <summary>The remote device's identity key in the current session, or null without one.</summary>
    public IdentityKey? RemoteIdentityKey => Current?.RemoteIdentity;

    /// <summary>The local identity key in the current session, or null without one.</summary>
    public IdentityKey? LocalIdentityKey => Current?.LocalIdentity;

    /// <summary>The remote device's registration id in the current session, or null without one.</summary>
    public uint? RemoteRegistrationId => Current?.RemoteRegistrationId;

    /// <summary>The protocol version of the current session (4), or null without one.</summary>
    public int? SessionVersion => Current?.Version;

    internal SessionState? Current { get; private set; }

    internal IReadOnlyList<SessionState> Archived => _archived;

    /// <summary>
    /// True iff a current session exists and its sending ratchet key equals <paramref name="ratchetKey"/>: a
    /// retry receipt naming this key concerns the session as it is now (reset it and resend); any other key
    /// concerns a state it has moved past (resend on the current session).
    /// </summary>
    /// <param name="ratchetKey">The ratchet key a <see cref="DecryptionErrorMessage"/> names.</param>
    /// <returns>Whether it is the current sending ratchet key.</returns>
    public bool CurrentRatchetKeyMatches(EcPublicKey ratchetKey)
    {
        ArgumentNullException.ThrowIfNull(ratchetKey);
        return Current is { } state && state.SenderChain.RatchetKey.Equals(ratchetKey);
    }

    /// <summary>
    /// True when there is a current session that can encrypt at <paramref name="now"/>: it is not an
    /// initiator's session left unanswered for more than 30 days.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <returns>Whether encrypting would use a session.</returns>
    public bool HasUsableSession(DateTimeOffset now) => Current is { } s && s.Version >= MessageVersion.Current && !s.SendingRetired && !s.IsStale(now);

    /// <summary>Moves the current session to the archive (a session reset); the next send needs a new bundle.</summary>
    public void ArchiveCurrentState()
    {
        if (Current is not null)
        {
            Archive(Current);
            Current = null;
        }
    }

    /// <summary>
    /// Retires every session of the record for sending, for a record restored from a backup: the original device may
    /// have sent on these chains after the backup was taken, and sending again from the copy would reuse its message
    /// keys. The current session is archived, so the next send needs a new session (a fresh bundle); the retired
    /// sessions still decrypt what the peer sends on them, but are never made current again.
    /// </summary>
    public void RetireSessionsForSending()
    {
        ArchiveCurrentState();
        UnshareArchived();
        for (int i = 0; i < _archived.Count; i++)
        {
            if (!_archived[i].SendingRetired)
            {
                // States may be shared with other copies of this record: retire a copy.
                var retired = _archived[i].Clone();
                retired.SendingRetired = true;
                _archived[i] = retired;
            }
        }
    }

    /// <summary>Serializes the record (SignalSharp's local, versioned format; it contains secrets).</summary>
    /// <returns>The record bytes.</returns>
    public byte[] Serialize()
    {
        var s = new SessionRecordStructure { Format = FormatVersion, Current = Current?.ToStructure() };
        foreach (var state in _archived)
        {
            s.Archived.Add(state.ToStructure());
        }

        return s.ToByteArray();
    }

    /// <summary>Parses a record written by <see cref="Serialize"/>, checking every field.</summary>
    /// <param name="data">The record bytes.</param>
    /// <returns>The record (skipped keys beyond <see cref="MaxSkippedMessageKeys"/> and <see cref="MaxSkippedSpqrKeys"/>, which earlier versions kept, dropped oldest first).</returns>
    /// <exception cref="InvalidRecordException">The bytes are not a record this version understands, or a field is malformed or out of range.</exception>
    public static SessionRecord Deserialize(ReadOnlySpan<byte> data)
    {
        var s = ProtoParsing.Parse(SessionRecordStructure.Parser, data, (m, e) => new InvalidRecordException("session record: " + m, e));
        if (s.Format != FormatVersion)
        {
            throw new InvalidRecordException($"session record format {s.Format} is not supported");
        }

        if (s.Archived.Count > MaxArchivedStates)
        {
            throw new InvalidRecordException($"session record holds {s.Archived.Count} archived sessions, more than {MaxArchivedStates}");
        }

        var record = new SessionRecord { Current = s.Current is null ? null : SessionState.FromStructure(s.Current) };
        foreach (var state in s.Archived)
        {
            record._archived.Add(SessionState.FromStructure(state));
        }

        record.EnforceSkippedKeyLimits();
        return record;
    }

    /// <summary>
    /// A copy that behaves as a deep one: the records share their <see cref="SessionState"/> objects, which
    /// nothing changes once a record holds them (ciphers change a <see cref="SessionState.Clone"/> and put it
    /// in with <see cref="SetCurrentState"/>; archiving puts in a copy), so only the lists are copied.
    /// </summary>
    internal SessionRecord Clone()
    {
        _archivedShared = true;
        return new SessionRecord(Current, _archived);
    }

    /// <summary>Makes <paramref name="state"/> current; the previous current session is archived.</summary>
    internal void PromoteState(SessionState state)
    {
        if (Current is not null)
        {
            Archive(Current);
        }

        Current = state;
        EnforceSkippedKeyLimits();
    }

    /// <summary>Replaces the current session with a newer version of itself.</summary>
    internal void SetCurrentState(SessionState state)
    {
        Current = state;
        EnforceSkippedKeyLimits();
    }

    /// <summary>
    /// Takes archived session <paramref name="index"/> out and makes <paramref name="replacement"/> current; a session
    /// retired for sending is updated where it is instead (it never becomes current).
    /// </summary>
    internal void PromoteArchived(int index, SessionState replacement)
    {
        UnshareArchived();
        if (replacement.SendingRetired)
        {
            _archived[index] = replacement;
            return;
        }

        _archived.RemoveAt(index);
        PromoteState(replacement);
    }

    /// <summary>Finds a session (current first) created by the handshake with this base key.</summary>
    internal (SessionState State, int ArchivedIndex)? FindByBaseKey(int version, EcPublicKey baseKey)
    {
        if (Current is { } c && c.Version == version && c.AliceBaseKey.Equals(baseKey))
        {
            return (c, -1);
        }

        for (int i = 0; i < _archived.Count; i++)
        {
            if (_archived[i].Version == version && _archived[i].AliceBaseKey.Equals(baseKey))
            {
                return (_archived[i], i);
            }
        }

        return null;
    }

    /// <summary>
    /// Drops skipped keys beyond <see cref="MaxSkippedMessageKeys"/> and <see cref="MaxSkippedSpqrKeys"/>, oldest
    /// first. States held by records are shared, so trimmed ones are replaced by trimmed copies.
    /// </summary>
    private void EnforceSkippedKeyLimits()
    {
        int seeds = Current?.SkippedSeedCount ?? 0;
        int spqrKeys = Current?.Spqr.SkippedKeyCount ?? 0;
        foreach (var state in _archived)
        {
            seeds += state.SkippedSeedCount;
            spqrKeys += state.Spqr.SkippedKeyCount;
        }

        int seedExcess = seeds - MaxSkippedMessageKeys;
        int spqrExcess = spqrKeys - MaxSkippedSpqrKeys;
        if (seedExcess <= 0 && spqrExcess <= 0)
        {
            return;
        }

        UnshareArchived();
        for (int i = _archived.Count - 1; i >= 0 && (seedExcess > 0 || spqrExcess > 0); i--)
        {
            _archived[i] = Trimmed(_archived[i], ref seedExcess, ref spqrExcess);
        }

        if (Current is not null && (seedExcess > 0 || spqrExcess > 0))
        {
            Current = Trimmed(Current, ref seedExcess, ref spqrExcess);
        }
    }

    private static SessionState Trimmed(SessionState state, ref int seedExcess, ref int spqrExcess)
    {
        if (seedExcess > 0 && state.SkippedSeedCount > 0)
        {
            state = state.WithoutOldestSkippedSeeds(ref seedExcess);
        }

        if (spqrExcess > 0 && state.Spqr.SkippedKeyCount > 0)
        {
            state = state.WithoutOldestSkippedSpqrKeys(ref spqrExcess);
        }

        return state;
    }

    private void UnshareArchived()
    {
        if (_archivedShared)
        {
            _archived = [.. _archived];
            _archivedShared = false;
        }
    }

    private void Archive(SessionState state)
    {
        // An archived session no longer sends, so it has nothing pending to repeat. The state may be shared
        // with other copies of this record, so it is not changed in place.
        if (state.Pending is not null)
        {
            state = state.Clone();
            state.Pending = null;
        }

        UnshareArchived();
        _archived.Insert(0, state);
        if (_archived.Count > MaxArchivedStates)
        {
            _archived.RemoveAt(_archived.Count - 1);
        }
    }
}
