namespace SignalSharp;

/// <summary>
/// A <see cref="PreKeyBundle"/> was processed for an address whose device id is not the bundle's: the bundle
/// belongs to another device of that user (or to another user), so a session built from it would encrypt to the
/// wrong device. Nothing was committed to any store. Look up the bundle for <see cref="SignalProtocolException.Address"/>
/// again, or build the <see cref="SessionBuilder"/> for the bundle's device.
/// </summary>
public class DeviceIdMismatchException : SignalProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The address the session was to be built for.</param>
    /// <param name="bundleDeviceId">The device id the bundle names.</param>
    public DeviceIdMismatchException(ProtocolAddress address, int bundleDeviceId)
        : base($"the pre-key bundle is for device {bundleDeviceId}, not for {address}")
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address;
        BundleDeviceId = bundleDeviceId;
    }

    /// <summary>The device id the bundle names.</summary>
    public int BundleDeviceId { get; }
}
