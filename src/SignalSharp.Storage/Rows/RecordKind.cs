namespace SignalSharp.Storage.Rows;

/// <summary>
/// What a row of the <c>records</c> table holds. The numbers are stored in the database and in backups, and are
/// part of every row's associated data: never renumber them.
/// </summary>
internal enum RecordKind : byte
{
    /// <summary>The local identity key pair and registration id (one row).</summary>
    Local = 1,

    /// <summary>A remote user's identity key (trust on first use, keyed by name).</summary>
    Identity = 2,

    /// <summary>A session record of one remote device.</summary>
    Session = 3,

    /// <summary>A one-time EC pre-key.</summary>
    PreKey = 4,

    /// <summary>A signed EC pre-key.</summary>
    SignedPreKey = 5,

    /// <summary>A Kyber pre-key, one-time or last-resort.</summary>
    KyberPreKey = 6,

    /// <summary>A (Kyber id, signed pre-key id, base key) use of a last-resort Kyber key, kept to reject replays.</summary>
    KyberPreKeyUse = 7,

    /// <summary>A sender-key record of one (sending device, distribution id).</summary>
    SenderKey = 8,

    /// <summary>
    /// The roster of one group the local device sends to, keyed by the app's group id. Kept in its own table,
    /// <c>group_rosters</c> (schema step 3), not in <c>records</c>; the kind seals its values and marks its backup entries.
    /// </summary>
    GroupRoster = 9,
}
