using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.RowSnapshots;
using SignalSharp.Storage;

namespace SignalSharp.InteropDriver;

/// <summary>
/// One local Signal client (device) hosted by the driver, on the driver's in-memory store or on a
/// <see cref="SqliteSignalProtocolStore"/> (<c>"store": "sqlite:&lt;path&gt;"</c>). Partial: other op files add their own state.
/// </summary>
internal sealed partial class DriverClient : IDisposable
{
    private readonly DriverStore? _memory;
    private readonly SqliteSignalProtocolStore? _durable;
    private readonly string? _durablePath;

    public DriverClient(string name, int deviceId, IdentityKeyPair identity, uint registrationId, string? sqlitePath = null)
    {
        Address = new ProtocolAddress(name, deviceId);
        Identity = identity;
        RegistrationId = registrationId;
        if (sqlitePath is null)
        {
            _memory = new DriverStore(identity, registrationId);
            Store = _memory;
        }
        else
        {
            // A fresh storage key per client: the driver creates new stores only, so nothing needs to reopen it.
            byte[] storageKey = RandomNumberGenerator.GetBytes(SqliteSignalProtocolStore.StorageKeySize);
            try
            {
                _durable = SqliteSignalProtocolStore.Create(sqlitePath, storageKey, identity, registrationId);
                _durablePath = sqlitePath;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(storageKey);
            }

            Store = _durable;
        }
    }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public ISignalProtocolStore Store { get; }

    /// <summary>Ids handed out when a bundle request leaves them open; advanced only by a successful bundle.</summary>
    public uint NextSignedPreKeyId { get; set; } = 1;

    public uint NextKyberPreKeyId { get; set; } = 1;

    /// <summary>
    /// Captures every piece of client state a request may change. A SQLite store is captured as its sealed rows
    /// (sessions, identities, pre-keys, Kyber uses and sender keys alike) and restored in one transaction.
    /// </summary>
    public object Snapshot() => (_durable is not null ? SqliteRowSnapshot.Capture(_durablePath!) : _memory!.Snapshot(), NextSignedPreKeyId, NextKyberPreKeyId, SnapshotExtra());

    public void Restore(object snapshot)
    {
        var (store, signed, kyber, extra) = ((object, uint, uint, object?))snapshot;
        if (_durable is not null)
        {
            SqliteRowSnapshot.Restore(_durablePath!, store);
        }
        else
        {
            _memory!.Restore(store);
        }

        NextSignedPreKeyId = signed;
        NextKyberPreKeyId = kyber;
        RestoreExtra(extra);
    }

    /// <summary>Closes a SQLite store (the in-memory store holds nothing to release).</summary>
    public void Dispose() => _durable?.Dispose();

    /// <summary>State added by other op files (e.g. sender keys); null when there is none.</summary>
    private partial object? SnapshotExtra();

    private partial void RestoreExtra(object? snapshot);
}
