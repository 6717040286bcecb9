namespace SignalSharp.Relay.Accounts;

/// <summary>
/// The pre-key directory: per device, its identity key, signed pre-key, last-resort Kyber key (reused) and
/// queues of one-time EC and Kyber keys (each handed out once). Each operation is atomic on its own.
/// </summary>
public interface IPreKeyDirectory
{
    /// <summary>Applies an upload. All or nothing: false (and no change) when the one-time keys would exceed <paramref name="maxOneTimePerKind"/>.</summary>
    ValueTask<bool> TryUploadAsync(DeviceKey device, KeyUpload upload, int maxOneTimePerKind, CancellationToken cancellationToken = default);

    /// <summary>Takes a bundle: consumes one one-time EC key and one one-time Kyber key when there are any. Null when the device published none.</summary>
    ValueTask<TakenBundle?> TakeBundleAsync(DeviceKey device, CancellationToken cancellationToken = default);

    /// <summary>The device's identity key, or null when it published none.</summary>
    ValueTask<byte[]?> GetIdentityAsync(DeviceKey device, CancellationToken cancellationToken = default);

    /// <summary>One-time keys left for a device.</summary>
    ValueTask<KeyCounts> CountAsync(DeviceKey device, CancellationToken cancellationToken = default);

    /// <summary>Forgets every key of a device.</summary>
    ValueTask RemoveAsync(DeviceKey device, CancellationToken cancellationToken = default);
}
