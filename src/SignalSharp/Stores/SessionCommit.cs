using SignalSharp;

namespace SignalSharp;

/// <summary>
/// Every store change of one protocol operation on one remote address, committed together by
/// <see cref="ITransactionalSignalProtocolStore.TryCommitAsync"/>: the new session record and, when the operation
/// made them, the saved identity, the removed one-time pre-key and the Kyber pre-key use.
/// </summary>
public sealed class SessionCommit
{
    /// <summary>Creates a commit of <paramref name="record"/> for <paramref name="address"/>.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="record">The session record to store (the store keeps its own copy).</param>
    /// <param name="expectedVersion">The version the record was loaded at (<see cref="VersionedSessionRecord.Version"/>).</param>
    public SessionCommit(ProtocolAddress address, SessionRecord record, ReadOnlyMemory<byte> expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(record);
        Address = address;
        Record = record;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The remote address.</summary>
    public ProtocolAddress Address { get; }

    /// <summary>The session record to store for <see cref="Address"/>.</summary>
    public SessionRecord Record { get; }

    /// <summary>The version the stored record must still have; empty when no record was stored at the load.</summary>
    public ReadOnlyMemory<byte> ExpectedVersion { get; }

    /// <summary>The identity to save for <see cref="Address"/>'s user (as <see cref="IIdentityKeyStore.SaveIdentityAsync"/>), or null.</summary>
    public IdentityKey? Identity { get; init; }

    /// <summary>The one-time pre-key to remove (as <see cref="IPreKeyStore.RemovePreKeyAsync"/>), or null.</summary>
    public uint? RemovedPreKeyId { get; init; }

    /// <summary>The Kyber pre-key use to record (as <see cref="IKyberPreKeyStore.MarkKyberPreKeyUsedAsync"/>), or null.</summary>
    public KyberPreKeyUse? KyberPreKeyUse { get; init; }
}
