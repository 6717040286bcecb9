using SignalSharp;

namespace SignalSharp;

/// <summary>A session record as loaded for an update, with the version of the stored row it came from.</summary>
/// <param name="Record">A private copy of the record, or null when none is stored.</param>
/// <param name="Version">
/// An opaque stamp of the stored row, which changes on every write of it (empty when no row exists); handed back in
/// <see cref="SessionCommit.ExpectedVersion"/>.
/// </param>
public sealed record VersionedSessionRecord(SessionRecord? Record, ReadOnlyMemory<byte> Version);
