using SignalSharp;

namespace SignalSharp.Devices;

/// <summary>
/// The two server calls a <see cref="MultiDeviceSender"/> needs; the application implements them over its own
/// transport. Neither may change protocol state: the sender does that from their results.
/// </summary>
public interface IDeviceTransport
{
    /// <summary>Fetches a pre-key bundle for each of the given devices of a user.</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="deviceIds">The devices wanted (never empty).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The bundles the server has; each names its device in <see cref="PreKeyBundle.DeviceId"/>. A device left out
    /// is treated as gone. Bundles for devices not asked for are ignored.
    /// </returns>
    ValueTask<IReadOnlyList<PreKeyBundle>> FetchPreKeyBundlesAsync(string name, IReadOnlyList<int> deviceIds, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one user's ciphertexts as one all-or-nothing request. The list may be empty (the sender knows no
    /// devices of that user yet, or none besides itself): the server must then answer with the devices missing.
    /// </summary>
    /// <param name="name">The user's name.</param>
    /// <param name="messages">One message per device the sender knows.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The server's answer; throw the application's own exception for transport failures.</returns>
    ValueTask<DeliveryAnswer> SendAsync(string name, IReadOnlyList<OutgoingDeviceMessage> messages, CancellationToken cancellationToken);
}
