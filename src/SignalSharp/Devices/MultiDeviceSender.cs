using SignalSharp;
using SignalSharp.Concurrency;
using SignalSharp.Crypto;

namespace SignalSharp.Devices;

/// <summary>
/// Sends one plaintext to every device of a user and, as sync copies, to every other device of the local user
/// (Sesame): one session per (local device, remote device) pair, started from a fetched bundle where none is
/// usable. The server's answers repair the device lists: missing devices get sessions, extra devices lose theirs,
/// stale (reinstalled) devices get their session archived and a new one from a fresh bundle; then the send is
/// retried, up to a bounded number of attempts.
/// </summary>
/// <remarks>
/// Every ciphertext comes from <see cref="SessionCipher"/>, so each session step is committed on its own. A
/// refused attempt leaves its ciphertexts undelivered; the receiving ratchet tolerates the gap. Device-list
/// changes for one user are serialized per <see cref="IDeviceListStore"/> object.
/// </remarks>
public sealed class MultiDeviceSender
{
    /// <summary>The default bound on send requests per user.</summary>
    public const int DefaultMaxAttempts = 5;

    private readonly ISignalProtocolStore _store;
    private readonly IDeviceListStore _deviceLists;
    private readonly IDeviceTransport _transport;
    private readonly int _maxAttempts;
    private readonly TimeProvider _time;
    private readonly RandomSource _random;

    /// <summary>Creates a sender for the local device <paramref name="localAddress"/>.</summary>
    /// <param name="store">The local device's protocol stores.</param>
    /// <param name="deviceLists">The device lists of remote users and of the local user.</param>
    /// <param name="localAddress">This device.</param>
    /// <param name="transport">The application's server calls.</param>
    /// <param name="maxAttempts">Send requests per user before giving up, at least 1.</param>
    /// <param name="timeProvider">The clock; system clock when null.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public MultiDeviceSender(
        ISignalProtocolStore store,
        IDeviceListStore deviceLists,
        ProtocolAddress localAddress,
        IDeviceTransport transport,
        int maxAttempts = DefaultMaxAttempts,
        TimeProvider? timeProvider = null,
        RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deviceLists);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _store = store;
        _deviceLists = deviceLists;
        LocalAddress = localAddress;
        _transport = transport;
        _maxAttempts = maxAttempts;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? RandomSource.Secure;
    }

    /// <summary>This device.</summary>
    public ProtocolAddress LocalAddress { get; }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for every device of <paramref name="recipient"/> and sends them in one
    /// request; then, when <paramref name="includeOwnDevices"/>, the same for the local user's other devices (sync
    /// copies). A refused request is repaired (<see cref="ApplyAnswerAsync"/>) and re-encrypted and re-sent.
    /// </summary>
    /// <param name="recipient">The recipient user's name (the local user's own name sends to its other devices only).</param>
    /// <param name="plaintext">The bytes to encrypt (pad them first with <see cref="ContentPadding"/>).</param>
    /// <param name="includeOwnDevices">Whether the local user's other devices get a copy too.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The accepted ciphertexts, one per device.</returns>
    /// <exception cref="DeviceListRepairException">A user's device list did not converge within the allowed attempts.</exception>
    /// <exception cref="UntrustedIdentityException">A device's identity key is not trusted (e.g. the user's safety number changed).</exception>
    /// <exception cref="InvalidSignatureException">A fetched bundle's pre-key signature does not verify.</exception>
    /// <exception cref="InvalidKeyException">A fetched bundle holds an unusable key.</exception>
    public async ValueTask<MultiDeviceSendResult> SendAsync(string recipient, ReadOnlyMemory<byte> plaintext, bool includeOwnDevices = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipient);
        string[] users = includeOwnDevices && !IsLocalUser(recipient) ? [recipient, LocalAddress.Name] : [recipient];
        var sent = new List<OutgoingDeviceMessage>();
        int requests = 0;
        foreach (string user in users)
        {
            for (int attempt = 1; ; attempt++)
            {
                var messages = await EncryptForUserAsync(user, plaintext, cancellationToken).ConfigureAwait(false);
                var answer = await _transport.SendAsync(user, messages, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("the transport returned no answer");
                requests++;
                if (answer.IsAccepted)
                {
                    sent.AddRange(messages);
                    break;
                }

                if (attempt == _maxAttempts)
                {
                    throw new DeviceListRepairException(user, attempt, answer);
                }

                await ApplyAnswerAsync(user, answer, cancellationToken).ConfigureAwait(false);
            }
        }

        return new MultiDeviceSendResult(sent, requests);
    }

    /// <summary>
    /// One attempt's encryption for one user, without sending: a ciphertext for every listed device of
    /// <paramref name="name"/> except this one, after starting sessions (from fetched bundles) with the listed
    /// devices that have no usable session. For applications that batch several users into one request.
    /// </summary>
    /// <param name="name">The user's name.</param>
    /// <param name="plaintext">The bytes to encrypt.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One message per listed device (empty when none is known yet).</returns>
    /// <exception cref="UntrustedIdentityException">A device's identity key is not trusted.</exception>
    /// <exception cref="InvalidSignatureException">A fetched bundle's pre-key signature does not verify.</exception>
    /// <exception cref="InvalidKeyException">A fetched bundle holds an unusable key.</exception>
    public async ValueTask<IReadOnlyList<OutgoingDeviceMessage>> EncryptForUserAsync(string name, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var list = await _deviceLists.LoadDeviceListAsync(name, cancellationToken).ConfigureAwait(false) ?? DeviceList.Empty;
        var withoutSession = new List<int>();
        foreach (var device in list.Devices)
        {
            if (!IsLocalDevice(name, device.DeviceId) && !await HasUsableSessionAsync(new ProtocolAddress(name, device.DeviceId), cancellationToken).ConfigureAwait(false))
            {
                withoutSession.Add(device.DeviceId);
            }
        }

        if (withoutSession.Count > 0)
        {
            await StartSessionsAsync(name, withoutSession, cancellationToken).ConfigureAwait(false);
            list = await _deviceLists.LoadDeviceListAsync(name, cancellationToken).ConfigureAwait(false) ?? DeviceList.Empty;
        }

        var messages = new List<OutgoingDeviceMessage>(list.Count);
        var corrected = new List<DeviceEntry>();
        foreach (var device in list.Devices)
        {
            if (IsLocalDevice(name, device.DeviceId))
            {
                continue;
            }

            var address = new ProtocolAddress(name, device.DeviceId);
            var cipher = new SessionCipher(_store, LocalAddress, address, _time, _random);
            var ciphertext = await cipher.EncryptAsync(plaintext, cancellationToken).ConfigureAwait(false);

            // The session is the authority on the registration id: a session started by the device's own PreKey
            // message carries a newer one than the list may have.
            var record = await _store.LoadSessionAsync(address, cancellationToken).ConfigureAwait(false);
            uint registrationId = record?.RemoteRegistrationId ?? device.RegistrationId;
            if (registrationId != device.RegistrationId)
            {
                corrected.Add(new DeviceEntry(device.DeviceId, registrationId));
            }

            messages.Add(new OutgoingDeviceMessage(address, registrationId, ciphertext.Type, ciphertext.Serialize()));
        }

        if (corrected.Count > 0)
        {
            await UpdateListAsync(name, l => corrected.Aggregate(l, static (acc, d) => acc.Contains(d.DeviceId) ? acc.With(d) : acc), cancellationToken).ConfigureAwait(false);
        }

        return messages;
    }

    /// <summary>
    /// Repairs the local view of <paramref name="name"/>'s devices from a refusal: extra devices leave the list and
    /// lose their sessions; stale devices have their session archived and get a new one from a fresh bundle;
    /// missing devices join the list, with a session from a fresh bundle unless a usable one already exists (the
    /// device wrote first).
    /// </summary>
    /// <param name="name">The user the answer is about.</param>
    /// <param name="answer">The server's answer (an accepted one changes nothing).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the stores are repaired.</returns>
    /// <exception cref="UntrustedIdentityException">A device's identity key is not trusted.</exception>
    /// <exception cref="InvalidSignatureException">A fetched bundle's pre-key signature does not verify.</exception>
    /// <exception cref="InvalidKeyException">A fetched bundle holds an unusable key.</exception>
    public async ValueTask ApplyAnswerAsync(string name, DeliveryAnswer answer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.IsAccepted)
        {
            return;
        }

        var extra = answer.Extra.Where(id => !IsLocalDevice(name, id)).ToList();
        foreach (int id in extra)
        {
            await DeleteSessionAsync(new ProtocolAddress(name, id), cancellationToken).ConfigureAwait(false);
        }

        if (extra.Count > 0)
        {
            await UpdateListAsync(name, l => extra.Aggregate(l, static (acc, id) => acc.Without(id)), cancellationToken).ConfigureAwait(false);
        }

        var toFetch = new List<int>();
        foreach (int id in answer.Stale.Where(id => !IsLocalDevice(name, id)))
        {
            await new SessionCipher(_store, LocalAddress, new ProtocolAddress(name, id), _time, _random).ArchiveCurrentSessionAsync(cancellationToken).ConfigureAwait(false);
            toFetch.Add(id);
        }

        var known = new List<DeviceEntry>();
        foreach (int id in answer.Missing.Where(id => !IsLocalDevice(name, id) && !toFetch.Contains(id)))
        {
            var record = await _store.LoadSessionAsync(new ProtocolAddress(name, id), cancellationToken).ConfigureAwait(false);
            if (record is not null && record.HasUsableSession(_time.GetUtcNow()) && record.RemoteRegistrationId is { } registrationId)
            {
                known.Add(new DeviceEntry(id, registrationId));
            }
            else
            {
                toFetch.Add(id);
            }
        }

        if (known.Count > 0)
        {
            await UpdateListAsync(name, l => known.Aggregate(l, static (acc, d) => acc.With(d)), cancellationToken).ConfigureAwait(false);
        }

        if (toFetch.Count > 0)
        {
            await StartSessionsAsync(name, toFetch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Fetches bundles for <paramref name="deviceIds"/>, starts a session with each, and records the devices; devices without a bundle leave the list.</summary>
    private async ValueTask StartSessionsAsync(string name, List<int> deviceIds, CancellationToken cancellationToken)
    {
        var bundles = await _transport.FetchPreKeyBundlesAsync(name, deviceIds, cancellationToken).ConfigureAwait(false) ?? [];
        var byDevice = new Dictionary<int, PreKeyBundle>();
        foreach (var bundle in bundles)
        {
            if (bundle is not null && deviceIds.Contains(bundle.DeviceId))
            {
                byDevice.TryAdd(bundle.DeviceId, bundle);
            }
        }

        var started = new List<DeviceEntry>();
        var gone = new List<int>();
        foreach (int id in deviceIds)
        {
            var address = new ProtocolAddress(name, id);
            if (byDevice.TryGetValue(id, out var bundle))
            {
                await new SessionBuilder(_store, address, _time, _random).ProcessPreKeyBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
                started.Add(new DeviceEntry(id, bundle.RegistrationId));
            }
            else
            {
                await DeleteSessionAsync(address, cancellationToken).ConfigureAwait(false);
                gone.Add(id);
            }
        }

        await UpdateListAsync(
            name,
            l => gone.Aggregate(started.Aggregate(l, static (acc, d) => acc.With(d)), static (acc, id) => acc.Without(id)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes under the address lock, so a decrypt in flight for the device cannot write the record back afterwards.</summary>
    private async ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        using var held = await ProtocolLocks.ForAddresses(_store).AcquireAsync(address, cancellationToken).ConfigureAwait(false);
        await _store.DeleteSessionAsync(address, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> HasUsableSessionAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        var record = await _store.LoadSessionAsync(address, cancellationToken).ConfigureAwait(false);
        return record is not null && record.HasUsableSession(_time.GetUtcNow());
    }

    /// <summary>Read-modify-write of one user's list under that user's lock, so concurrent repairs do not lose each other's changes.</summary>
    private async ValueTask UpdateListAsync(string name, Func<DeviceList, DeviceList> change, CancellationToken cancellationToken)
    {
        using var held = await LockRegistry<IDeviceListStore, string>.For(_deviceLists).AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        var current = await _deviceLists.LoadDeviceListAsync(name, cancellationToken).ConfigureAwait(false);
        var next = change(current ?? DeviceList.Empty);
        if (current is null || !ReferenceEquals(next, current))
        {
            await _deviceLists.StoreDeviceListAsync(name, next, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsLocalUser(string name) => string.Equals(name, LocalAddress.Name, StringComparison.Ordinal);

    private bool IsLocalDevice(string name, int deviceId) => deviceId == LocalAddress.DeviceId && IsLocalUser(name);
}
