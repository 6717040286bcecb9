using Google.Protobuf;
using SignalSharp;
using SignalSharp.Sessions.Protos;

namespace SignalSharp;

/// <summary>
/// Everything stored for one remote device: the current session and up to <see cref="MaxArchivedStates"/>
/// archived ones (newest first), which are tried when a message does not decrypt in the current one
/// (Sesame). A store hands out a copy and takes one back. The record holds secrets (root, chain and message
/// keys, SPQR keys): dispose it when done, which wipes every secret it owns (docs/security.md, "Secret ownership").
/// </summary>
public sealed class SessionRecord : IDisposable
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

    // Null: this record owns every secret it reaches (a parsed or new record, or one a store keeps). Otherwise a
    // borrowed copy (Borrow): the lender owns the secrets they share, and this record owns only what it created.
    private SessionRecord? _lender;

    // Secret arrays this record stopped using (states it replaced, evicted or trimmed): the lender may still hold
    // them. Wiped when the record is disposed (an owner) or handed to a store that drops the lender (HandOver).
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    private SecretBin _retired;

    private bool _disposed;

    /// <summary>Creates an empty record (no session).</summary>
    public SessionRecord()
    {
        _archived = [];
    }

    // A copy sharing the archived list (see Borrow).
    private SessionRecord(SessionState? current, List<SessionState> archived, SessionRecord? lender)
    {
        Current = current;
        _archived = archived;
        _archivedShared = true;
        _lender = lender;
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
        ObjectDisposedException.ThrowIf(_disposed, this);
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
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArchiveCurrentState();
        UnshareArchived();
        for (int i = 0; i < _archived.Count; i++)
        {
            if (!_archived[i].SendingRetired)
            {
                // States may be shared with other copies of this record: retire a copy.
                var retired = _archived[i].Clone();
                retired.SendingRetired = true;
                Adopt(retired);
                _archived[i] = retired;
            }
        }
    }

    /// <summary>Serializes the record (SignalSharp's local, versioned format; it contains secrets).</summary>
    /// <returns>The record bytes.</returns>
    /// <exception cref="ObjectDisposedException">The record was disposed.</exception>
    public byte[] Serialize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var s = new SessionRecordStructure { Format = FormatVersion, Current = Current?.ToStructure() };
        foreach (var state in _archived)
        {
            s.Archived.Add(state.ToStructure());
        }

        try
        {
            return s.ToByteArray();
        }
        finally
        {
            // The structure holds copies of every key (and the SPQR state's serialized form): wipe them.
            ProtoWipe.Wipe(s);
        }
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

        try
        {
            var record = new SessionRecord { Current = s.Current is null ? null : SessionState.FromStructure(s.Current) };
            foreach (var state in s.Archived)
            {
                record._archived.Add(SessionState.FromStructure(state));
            }

            record.EnforceSkippedKeyLimits();
            return record;
        }
        finally
        {
            // The states took copies of every field: the parsed structure's own are wiped.
            ProtoWipe.Wipe(s);
        }
    }

    /// <summary>
    /// A copy that behaves as a deep one: the records share their <see cref="SessionState"/> objects, which
    /// nothing changes once a record holds them (ciphers change a <see cref="SessionState.Clone"/> and put it
    /// in with <see cref="SetCurrentState"/>; archiving puts in a copy), so only the lists are copied. The copy
    /// borrows this record's secrets: disposing it wipes only what it created, and this record must stay
    /// undisposed while the copy is used (a store lends its kept record this way).
    /// </summary>
    internal SessionRecord Borrow()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _archivedShared = true;
        return new SessionRecord(Current, _archived, this);
    }

    /// <summary>The record that lent this copy its secrets (null for an owner).</summary>
    internal SessionRecord? Lender => _lender;

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>The secret arrays waiting to be wiped (for tests).</summary>
    internal ref SecretBin RetiredSecrets => ref _retired;

    /// <summary>
    /// For a store that keeps this record in place of <paramref name="replaced"/> (the one it held, null when none):
    /// returns the record the store keeps (sharing this one's states) and wipes what <paramref name="replaced"/> and
    /// this record's retired arrays hold that the kept record does not. Afterwards this record borrows from the kept
    /// one (its disposal wipes nothing the store keeps). Call under the store's lock.
    /// </summary>
    internal SessionRecord HandOver(SessionRecord? replaced)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _archivedShared = true;
        var kept = new SessionRecord(Current, _archived, lender: null);
        if (replaced is null || ReferenceEquals(replaced, _lender) || ReferenceEquals(replaced, this))
        {
            // The usual case: this record was lent by the one it replaces, so what that one holds and this one does
            // not is exactly what this one retired.
            _retired.WipeAll();
        }
        else
        {
            // Not lent by the record it replaces (a record built elsewhere, or a stale copy): the replaced record is
            // dropped whole, except what the two share.
            var doomed = default(SecretBin);
            replaced.VisitOwnSecrets(ref doomed);
            _retired.MoveTo(ref doomed);
            WipeAllExceptHeldBy(ref doomed, this);
        }

        _lender = kept;
        return kept;
    }

    /// <summary>Wipes every secret this record reaches (a store dropping a record it kept, e.g. on delete).</summary>
    internal void WipeKept()
    {
        var doomed = default(SecretBin);
        VisitOwnSecrets(ref doomed);
        _retired.MoveTo(ref doomed);
        doomed.WipeAll();
    }

    /// <summary>
    /// Wipes the secrets this record owns: all of them for an owner; for a borrowed copy only what it created and
    /// its lender does not hold. Idempotent; later use of the record throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_lender is null)
        {
            WipeKept();
        }
        else if (_retired.Count == 0 && SharesAllStatesWith(_lender))
        {
            // An unchanged (or handed-over) copy: everything it reaches is the lender's.
            _retired.Release();
        }
        else
        {
            var doomed = default(SecretBin);
            VisitOwnSecrets(ref doomed);
            _retired.MoveTo(ref doomed);
            WipeAllExceptHeldBy(ref doomed, _lender);
        }
    }

    /// <summary>Makes <paramref name="state"/> current; the previous current session is archived.</summary>
    internal void PromoteState(SessionState state)
    {
        if (Current is not null)
        {
            Archive(Current);
        }

        Adopt(state);
        Current = state;
        EnforceSkippedKeyLimits();
    }

    /// <summary>Replaces the current session with a newer version of itself (a <see cref="SessionState.Clone"/> of it).</summary>
    internal void SetCurrentState(SessionState state)
    {
        Adopt(state);
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
            Adopt(replacement);
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

    private SessionState Trimmed(SessionState state, ref int seedExcess, ref int spqrExcess)
    {
        if (seedExcess > 0 && state.SkippedSeedCount > 0)
        {
            state = state.WithoutOldestSkippedSeeds(ref seedExcess);
        }

        if (spqrExcess > 0 && state.Spqr.SkippedKeyCount > 0)
        {
            state = state.WithoutOldestSkippedSpqrKeys(ref spqrExcess);
        }

        Adopt(state);
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
            // The evicted session shares nothing with the others (each session derives its own keys).
            _archived[^1].VisitSecrets(ref _retired);
            _archived.RemoveAt(_archived.Count - 1);
        }
    }

    /// <summary>Takes over what <paramref name="state"/> retired while it was worked on (it now replaces its origin here).</summary>
    private void Adopt(SessionState state) => state.Retired.MoveTo(ref _retired);

    /// <summary>Adds every secret array of the current and archived sessions to <paramref name="into"/>.</summary>
    private void VisitOwnSecrets(ref SecretBin into)
    {
        Current?.VisitSecrets(ref into);
        foreach (var state in _archived)
        {
            state.VisitSecrets(ref into);
        }
    }

    private bool SharesAllStatesWith(SessionRecord other)
    {
        if (!ReferenceEquals(Current, other.Current) || _archived.Count != other._archived.Count)
        {
            return false;
        }

        if (ReferenceEquals(_archived, other._archived))
        {
            return true;
        }

        for (int i = 0; i < _archived.Count; i++)
        {
            if (!ReferenceEquals(_archived[i], other._archived[i]))
            {
                return false;
            }
        }

        return true;
    }

    // Wipes what doomed holds that holder does not reach (the rare paths; the usual ones need no set).
    private static void WipeAllExceptHeldBy(ref SecretBin doomed, SessionRecord holder)
    {
        var keep = SecretBin.RentSet();
        var kept = default(SecretBin);
        holder.VisitOwnSecrets(ref kept);
        kept.DrainInto(keep);
        doomed.WipeAllExcept(keep);
        SecretBin.ReturnSet(keep);
    }
}
