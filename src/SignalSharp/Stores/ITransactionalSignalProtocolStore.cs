using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A combined store that commits all the changes of one protocol operation at once or not at all, and detects a
/// session record changed by someone else between loading and committing (another store object on the same data,
/// another process). <see cref="SessionCipher"/> and <see cref="SessionBuilder"/> use it when every store they were
/// given is this one object; otherwise they fall back to the separate per-store calls (see docs/storage.md,
/// "Transactions").
/// </summary>
/// <remarks>
/// An operation loads with <see cref="LoadSessionForUpdateAsync"/>, works on the private copy, and hands every change
/// to <see cref="TryCommitAsync"/>. When that returns false (the record changed since the load) nothing was
/// written and the operation starts again from a new load, so two writers never both advance the same chain
/// position. A store used by one object in one process may implement the version as a simple counter.
/// </remarks>
public interface ITransactionalSignalProtocolStore : ISignalProtocolStore
{
    /// <summary>Loads the session record of <paramref name="address"/> together with a version of the stored row.</summary>
    /// <param name="address">The remote address.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A private copy of the record (null when none is stored) and its version.</returns>
    ValueTask<VersionedSessionRecord> LoadSessionForUpdateAsync(ProtocolAddress address, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies every change of <paramref name="commit"/> in one transaction: the Kyber pre-key use (first, because
    /// it may refuse), the identity, the one-time pre-key removal and the session record. Either all of them are
    /// durable when the call returns true, or none was made.
    /// </summary>
    /// <param name="commit">The changes, with the version the session record was loaded at.</param>
    /// <param name="cancellationToken">Checked before anything is written; a commit under way is not interrupted.</param>
    /// <returns>True when committed; false, with nothing written, when the session record is no longer at <see cref="SessionCommit.ExpectedVersion"/>.</returns>
    /// <exception cref="InvalidKeyIdException">The Kyber pre-key of <see cref="SessionCommit.KyberPreKeyUse"/> or the one-time pre-key of <see cref="SessionCommit.RemovedPreKeyId"/> is no longer held (nothing written).</exception>
    /// <exception cref="InvalidMessageException">The Kyber pre-key use is a replay of a last-resort key (nothing written).</exception>
    ValueTask<bool> TryCommitAsync(SessionCommit commit, CancellationToken cancellationToken = default);
}
