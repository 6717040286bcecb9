using System.Buffers.Binary;
using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Storage.Rows;

namespace SignalSharp.Storage;

/// <summary>The session part: one sealed record per remote device.</summary>
public sealed partial class SqliteSignalProtocolStore
{
    /// <inheritdoc />
    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ValueTask.FromResult(Guarded(() => LoadSessionCached(address).Record, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(record);
        using var entry = StoredEntry.Session(address.Name, address.DeviceId, record.Serialize());
        WriteOne(entry, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        DeleteOne(RecordKind.Session, () => SessionKey(address), cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ValueTask.FromResult(Guarded<IReadOnlyList<int>>(() =>
        {
            byte[] group = StoredEntry.NameTag(_sealer, name);
            using var list = Command("SELECT k, value FROM records WHERE kind = $kind AND grp = $g", null);
            list.Parameters.AddWithValue("$kind", (int)RecordKind.Session);
            list.Parameters.AddWithValue("$g", group);
            var ids = new List<int>();
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                var key = Blob(reader, 0);
                if (key.Length != group.Length + 4 || !key.AsSpan(0, group.Length).SequenceEqual(group))
                {
                    throw new StorageCorruptedException("a session row's key does not match its user");
                }

                // The device id is listed only if its row authenticates: a planted row must not add a device.
                CryptographicOperations.ZeroMemory(_sealer.Open((byte)RecordKind.Session, key, Blob(reader, 1)));
                ids.Add(BinaryPrimitives.ReadInt32BigEndian(key.AsSpan(group.Length)));
            }

            ids.Sort();
            return ids;
        }, cancellationToken));
    }

    private byte[] SessionKey(ProtocolAddress address) => StoredEntry.SessionKey(_sealer, address.Name, address.DeviceId);
}
