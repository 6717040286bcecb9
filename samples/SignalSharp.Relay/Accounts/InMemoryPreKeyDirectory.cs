namespace SignalSharp.Relay.Accounts;

/// <summary>The default <see cref="IPreKeyDirectory"/>: per-device records under one lock.</summary>
public sealed class InMemoryPreKeyDirectory : IPreKeyDirectory
{
    private readonly Dictionary<DeviceKey, Entry> _devices = new();
    private readonly object _gate = new();

    /// <inheritdoc />
    public ValueTask<bool> TryUploadAsync(DeviceKey device, KeyUpload upload, int maxOneTimePerKind, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _devices.TryGetValue(device, out var entry);
            int ec = (entry?.OneTime.Count ?? 0) + upload.OneTimePreKeys.Count;
            int kyber = (entry?.Kyber.Count ?? 0) + upload.KyberPreKeys.Count;
            if (ec > maxOneTimePerKind || kyber > maxOneTimePerKind)
            {
                return ValueTask.FromResult(false);
            }

            if (entry is null)
            {
                entry = new Entry();
                _devices.Add(device, entry);
            }

            entry.Identity = upload.IdentityKey ?? entry.Identity;
            entry.Signed = upload.SignedPreKey ?? entry.Signed;
            entry.LastResort = upload.KyberLastResortKey ?? entry.LastResort;
            foreach (var key in upload.OneTimePreKeys)
            {
                entry.OneTime.Enqueue(key);
            }

            foreach (var key in upload.KyberPreKeys)
            {
                entry.Kyber.Enqueue(key);
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<TakenBundle?> TakeBundleAsync(DeviceKey device, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(device, out var entry) || entry.Identity is null || entry.Signed is null || entry.LastResort is null)
            {
                return ValueTask.FromResult<TakenBundle?>(null);
            }

            entry.OneTime.TryDequeue(out var preKey);
            var kyber = entry.Kyber.TryDequeue(out var oneTimeKyber) ? oneTimeKyber : entry.LastResort;
            return ValueTask.FromResult<TakenBundle?>(new TakenBundle(entry.Identity, entry.Signed, preKey, kyber));
        }
    }

    /// <inheritdoc />
    public ValueTask<byte[]?> GetIdentityAsync(DeviceKey device, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_devices.TryGetValue(device, out var entry) ? entry.Identity : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<KeyCounts> CountAsync(DeviceKey device, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_devices.TryGetValue(device, out var entry) ? new KeyCounts(entry.OneTime.Count, entry.Kyber.Count) : default);
        }
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(DeviceKey device, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _devices.Remove(device);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Entry
    {
        public byte[]? Identity { get; set; }

        public SignedKey? Signed { get; set; }

        public SignedKey? LastResort { get; set; }

        public Queue<OneTimeKey> OneTime { get; } = new();

        public Queue<SignedKey> Kyber { get; } = new();
    }
}
