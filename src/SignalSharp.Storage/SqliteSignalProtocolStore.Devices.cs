using System.Security.Cryptography;
using SignalSharp.Devices;
using SignalSharp.Storage.Codec;

namespace SignalSharp.Storage;

/// <summary>
/// The device-list part: one sealed row per user in its own table, <c>device_lists</c> (schema step 2). The row
/// key is a keyed tag of the user's name, the value names the user again and lists (device id, registration id)
/// pairs. Device lists are a cache of the server's view that repairs itself, so they are not part of backups.
/// </summary>
public sealed partial class SqliteSignalProtocolStore : IDeviceListStore
{
    /// <summary>The schema step that adds the device-list table (appended to <see cref="Sql.Schema.Migrations"/>).</summary>
    internal static readonly string[] DeviceListsMigration =
    [
        "CREATE TABLE device_lists (k BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
    ];

    // Associated-data kind of device-list values: outside the records table's kinds, so a value can never be
    // moved between that table and this one.
    private const byte DeviceListSealKind = 0x40;
    private const string DeviceListTagDomain = "device-list";

    /// <inheritdoc />
    public ValueTask<DeviceList?> LoadDeviceListAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ValueTask.FromResult(Guarded(() =>
        {
            byte[] key = DeviceListKey(name);
            using var read = Command("SELECT value FROM device_lists WHERE k = $k", null);
            read.Parameters.AddWithValue("$k", key);
            object? stored = read.ExecuteScalar();
            if (stored is null)
            {
                return null;
            }

            byte[] sealedValue = stored as byte[] ?? throw new StorageCorruptedException("a stored value is not a blob");
            byte[] body = _sealer.Open(DeviceListSealKind, key, sealedValue);
            try
            {
                return DecodeDeviceList(body, name);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(body);
            }
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask StoreDeviceListAsync(string name, DeviceList devices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(devices);
        using var writer = new FieldWriter();
        writer.String(name);
        writer.I32(devices.Count);
        foreach (var device in devices.Devices)
        {
            writer.I32(device.DeviceId);
            writer.U32(device.RegistrationId);
        }

        Guarded(() =>
        {
            byte[] key = DeviceListKey(name);
            using var tx = _connection.BeginTransaction();
            using var write = Command("INSERT OR REPLACE INTO device_lists (k, value) VALUES ($k, $v)", tx);
            write.Parameters.AddWithValue("$k", key);
            write.Parameters.AddWithValue("$v", _sealer.Seal(DeviceListSealKind, key, writer.Written));
            write.ExecuteNonQuery();
            tx.Commit();
        }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeleteDeviceListAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        Guarded(() =>
        {
            using var tx = _connection.BeginTransaction();
            using var delete = Command("DELETE FROM device_lists WHERE k = $k", tx);
            delete.Parameters.AddWithValue("$k", DeviceListKey(name));
            delete.ExecuteNonQuery();
            tx.Commit();
        }, cancellationToken);
        return ValueTask.CompletedTask;
    }

    private byte[] DeviceListKey(string name) => _sealer.Tag(DeviceListTagDomain, Utf8.Strict.GetBytes(name));

    private static DeviceList DecodeDeviceList(byte[] body, string expectedName)
    {
        static Exception Corrupt(string message) => new StorageCorruptedException("a stored device list does not parse: " + message);
        var reader = new FieldReader(body, Corrupt);
        if (!string.Equals(reader.String(), expectedName, StringComparison.Ordinal))
        {
            throw new StorageCorruptedException("a stored device list belongs to another user");
        }

        int count = reader.I32();
        if (count is < 0 or > ProtocolAddress.MaxDeviceId)
        {
            throw Corrupt($"{count} devices");
        }

        var entries = new DeviceEntry[count];
        for (int i = 0; i < count; i++)
        {
            int deviceId = reader.I32();
            uint registrationId = reader.U32();
            if (deviceId is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
            {
                throw Corrupt($"device id {deviceId}");
            }

            entries[i] = new DeviceEntry(deviceId, registrationId);
        }

        reader.EnsureEnd();
        try
        {
            return new DeviceList(entries);
        }
        catch (ArgumentException e)
        {
            throw new StorageCorruptedException("a stored device list does not parse: " + e.Message, e);
        }
    }
}
