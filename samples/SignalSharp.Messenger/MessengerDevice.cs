using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Google.Protobuf;
using SignalSharp;
using SignalSharp.Devices;
using SignalSharp.Groups;
using SignalSharp.Messenger.Protos;
using SignalSharp.Storage;
using Content = SignalSharp.Messenger.Protos.Content;

namespace SignalSharp.Messenger;

/// <summary>
/// One device of a messenger user over the relay: a durable <see cref="SqliteSignalProtocolStore"/>, the library's
/// <see cref="MultiDeviceSender"/> for 1:1 sends (with sync copies to the user's other devices), sender-key groups,
/// encrypted delivery and read receipts, and a WebSocket receive loop that acknowledges an envelope only after
/// its result is durably recorded.
/// </summary>
/// <remarks>
/// Exactly once for the user: the relay delivers at least once; a redelivered envelope whose id is already recorded
/// is acknowledged unread, and a replayed ciphertext is refused by the ratchet's own duplicate detection. A batch
/// is recorded in the app database before its protocol state is committed (see <see cref="StagedProtocolStore"/>),
/// so a crash at any point loses nothing that was acknowledged and shows nothing twice. One protocol operation runs
/// at a time (sends and receive batches share a gate).
/// </remarks>
public sealed class MessengerDevice : IAsyncDisposable
{
    private const int OneTimeKeysPerUpload = 20;
    private const int KyberKeysPerUpload = 10;
    private const int MaxBatch = 200;

    private readonly string _directory;
    private readonly AppDatabase _db;
    private readonly SqliteSignalProtocolStore _store;
    private readonly StagedProtocolStore _staged;
    private readonly RelayHttpClient _relay;
    private readonly IDeviceListStore _lists;
    private readonly MultiDeviceSender _sender;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource? _loopCancel;
    private Task? _loop;
    private ClientWebSocket? _socket;
    private long _lastTimestamp;
    private int _receivedKyberOrPreKey;

    private MessengerDevice(string directory, AppDatabase db, SqliteSignalProtocolStore store, RelayHttpClient relay, string name, int deviceId)
    {
        _directory = directory;
        _db = db;
        _store = store;
        _staged = new StagedProtocolStore(store);
        _relay = relay;
        Address = new ProtocolAddress(name, deviceId);
        // Device lists live in the same sealed SQLite file as the sessions, so a restart keeps them.
        _lists = store;
        _sender = new MultiDeviceSender(store, _lists, Address, relay);
    }

    /// <summary>Raised (on a pool thread) after each received batch is recorded.</summary>
    public event Action<MessengerDevice>? Changed;

    /// <summary>This device's address (user name and device id).</summary>
    public ProtocolAddress Address { get; }

    /// <summary>The user's name.</summary>
    public string Name => Address.Name;

    /// <summary>The folder holding this device's SQLite files.</summary>
    public string Directory => _directory;

    /// <summary>Whether the delivery WebSocket is open.</summary>
    public bool IsConnected => _socket?.State == WebSocketState.Open;

    /// <summary>True once the relay said the mailbox was drained on the current connection and everything before that was recorded.</summary>
    public bool CaughtUp { get; private set; }

    /// <summary>
    /// Fault injection for tests: called after a batch is recorded and before it is acknowledged; returning true
    /// drops the connection there, so the relay redelivers envelopes the device has already processed.
    /// </summary>
    public Func<bool>? FaultBeforeAcknowledge { get; set; }

    /// <summary>The last failure the receive loop recovered from (for diagnostics).</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Creates a new account with this as its first device.</summary>
    public static Task<MessengerDevice> RegisterAsync(Uri relay, string name, string directory, CancellationToken cancellationToken = default)
        => CreateAsync(relay, directory, KeyHelper.GenerateIdentityKeyPair(), (client, registrationId, identity, keys) =>
            client.RegisterAsync("v1/accounts", HttpMethod.Post, name, registrationId, identity, keys, cancellationToken), null, cancellationToken);

    /// <summary>
    /// Links a new device into this device's account. The new device gets a copy of the account's identity key pair
    /// (Signal's provisioning step, here done in-process) and its own registration id, pre-keys and secret.
    /// </summary>
    public async Task<MessengerDevice> LinkDeviceAsync(string directory, CancellationToken cancellationToken = default)
    {
        var identity = await _store.GetIdentityKeyPairAsync(cancellationToken);
        return await CreateAsync(_relay.Relay, directory, identity, (_, registrationId, id, keys) =>
            _relay.RegisterAsync("v1/devices", HttpMethod.Post, Name, registrationId, id, keys, cancellationToken), null, cancellationToken);
    }

    /// <summary>
    /// Reinstalls a device: same account, same device id, but a fresh store, a new registration id and new pre-keys.
    /// Senders holding sessions with the old installation get 410 and repair. The old instance is disposed.
    /// </summary>
    public static async Task<MessengerDevice> ReinstallAsync(MessengerDevice old, string directory, CancellationToken cancellationToken = default)
    {
        var identity = await old._store.GetIdentityKeyPairAsync(cancellationToken);
        var relay = old._relay.Relay;
        var oldClient = old._relay;
        await old.StopAsync();
        try
        {
            return await CreateAsync(relay, directory, identity, (_, registrationId, id, keys) =>
                oldClient.RegisterAsync("v1/devices/self", HttpMethod.Put, null, registrationId, id, keys, cancellationToken), old.Address.DeviceId, cancellationToken);
        }
        finally
        {
            await old.DisposeAsync();
        }
    }

    /// <summary>Reopens a device from its folder (after a restart or a crash).</summary>
    public static MessengerDevice Open(string directory)
    {
        var db = new AppDatabase(Path.Combine(directory, "app.db"));
        byte[] storageKey = File.ReadAllBytes(Path.Combine(directory, "storage.key"));
        var store = SqliteSignalProtocolStore.Open(Path.Combine(directory, "protocol.db"), storageKey);
        CryptographicOperations.ZeroMemory(storageKey);
        var relay = new RelayHttpClient(new Uri(db.Get("relay")!), db.Get("name")!, int.Parse(db.Get("device_id")!), db.Get("password")!);
        return new MessengerDevice(directory, db, store, relay, db.Get("name")!, int.Parse(db.Get("device_id")!));
    }

    /// <summary>What this device has shown the user, oldest first.</summary>
    public IReadOnlyList<InboxItem> Inbox() => _db.Inbox();

    /// <summary>The receipts that came back for messages this user sent.</summary>
    public IReadOnlyList<ReceiptItem> Receipts() => _db.Receipts();

    /// <summary>A group this device knows, or null.</summary>
    public GroupInfo? Group(Guid id) => _db.Group(id);

    /// <summary>The relay's HTTP API with this device's credentials (key status, device lists, unlinking).</summary>
    public RelayHttpClient Relay => _relay;

    /// <summary>Opens the delivery WebSocket and keeps it open (reconnecting after drops) until <see cref="StopAsync"/>.</summary>
    public void Connect()
    {
        if (_loop is not null)
        {
            return;
        }

        _loopCancel = new CancellationTokenSource();
        _loop = Task.Run(() => RunAsync(_loopCancel.Token));
    }

    /// <summary>Drops the current WebSocket abruptly (a network failure); the receive loop reconnects.</summary>
    public void DropConnection() => _socket?.Abort();

    /// <summary>Closes the WebSocket and stops reconnecting.</summary>
    public async Task StopAsync()
    {
        if (_loop is null)
        {
            return;
        }

        _loopCancel!.Cancel();
        _socket?.Abort();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _loop = null;
        _loopCancel.Dispose();
        _loopCancel = null;
        CaughtUp = false;
    }

    /// <summary>Sends a text to every device of <paramref name="to"/> and a sync transcript to this user's other devices.</summary>
    /// <returns>The message's timestamp (receipts refer to it).</returns>
    public async Task<ulong> SendTextAsync(string to, string text, CancellationToken cancellationToken = default)
    {
        ulong timestamp = NextTimestamp();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await SendContentAsync(to, new Content { Timestamp = timestamp, Text = new Text { Body = text } }, cancellationToken);
            await SendContentAsync(Name, new Content { Timestamp = timestamp, SyncTranscript = new SyncTranscript { Destination = to, SentTimestamp = timestamp, Body = text } }, cancellationToken);
            var record = new BatchRecord();
            record.Sent.Add((timestamp, to, text));
            _db.Commit(record);
        }
        finally
        {
            _gate.Release();
        }

        return timestamp;
    }

    /// <summary>Tells <paramref name="sender"/> (all its devices) that these of its messages were read.</summary>
    public async Task SendReadReceiptAsync(string sender, IEnumerable<ulong> timestamps, CancellationToken cancellationToken = default)
    {
        var receipt = new Receipt { Kind = Receipt.Types.Kind.Read };
        receipt.Timestamps.AddRange(timestamps);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await SendContentAsync(sender, new Content { Timestamp = NextTimestamp(), Receipt = receipt }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates a group and tells every member (and this user's other devices) its member list.</summary>
    public async Task<Guid> CreateGroupAsync(string title, IEnumerable<string> members, CancellationToken cancellationToken = default)
    {
        var group = new GroupInfo(Guid.NewGuid(), title, members.Append(Name).Distinct().Order(StringComparer.Ordinal).ToArray(), null, false);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _db.SaveGroup(group);
            await AnnounceGroupAsync(group, group.Members, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        return group.Id;
    }

    /// <summary>
    /// Removes a member: every member (the removed one too) learns the new list, and this device rotates its sender
    /// key at once, so nothing it sends from now on can be read by the removed user's devices. Other members rotate
    /// theirs before they next send.
    /// </summary>
    public async Task RemoveGroupMemberAsync(Guid groupId, string member, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var group = _db.Group(groupId) ?? throw new InvalidOperationException("unknown group");
            var updated = group with { Members = group.Members.Where(m => m != member).ToArray(), RotatePending = group.DistributionId is not null };
            _db.SaveGroup(updated);
            await AnnounceGroupAsync(updated, group.Members, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Sends a group text: encrypted once with this device's sender key and delivered to every device of every
    /// member (and this user's other devices). Members lacking the current key get it first over their pairwise
    /// sessions.
    /// </summary>
    /// <returns>The message's timestamp and the single ciphertext every member device received.</returns>
    public async Task<(ulong Timestamp, byte[] Ciphertext)> SendGroupTextAsync(Guid groupId, string text, CancellationToken cancellationToken = default)
    {
        ulong timestamp = NextTimestamp();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var group = _db.Group(groupId) ?? throw new InvalidOperationException("unknown group");
            var cipher = new GroupCipher(_store);
            if (group.DistributionId is null)
            {
                group = group with { DistributionId = Guid.NewGuid() };
                _db.SaveGroup(group);
            }

            Guid distribution = group.DistributionId!.Value;
            if (group.RotatePending)
            {
                _db.ClearGroupKeyHolders(groupId);
                await cipher.RotateAsync(Address, distribution, cancellationToken);
                group = group with { RotatePending = false };
                _db.SaveGroup(group);
            }

            var recipients = group.Members.Where(m => m != Name).Append(Name).ToArray();
            var holders = _db.GroupKeyHolders(groupId);
            foreach (string user in recipients.Where(u => !holders.Contains(u)))
            {
                await SendDistributionAsync(cipher, group, user, cancellationToken);
            }

            byte[] padded = ContentPadding.Pad(new Content { Timestamp = timestamp, GroupText = new GroupText { GroupId = ByteString.CopyFrom(groupId.ToByteArray()), Body = text } }.ToByteArray());
            byte[] ciphertext = (await cipher.EncryptAsync(Address, distribution, padded, cancellationToken)).Serialize();
            foreach (string user in recipients)
            {
                await SendSenderKeyMessageAsync(cipher, group, user, ciphertext, cancellationToken);
            }

            var record = new BatchRecord();
            record.Sent.Add((timestamp, "group:" + groupId, text));
            _db.Commit(record);
            return (timestamp, ciphertext);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Tries to read a sender-key ciphertext (the demo shows a removed member failing to).</summary>
    /// <returns>The text, or the name of the error that refused it.</returns>
    public async Task<string> TryReadGroupCiphertextAsync(ProtocolAddress sender, byte[] ciphertext, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            byte[] plaintext = await new GroupCipher(_staged).DecryptAsync(sender, ciphertext, cancellationToken);
            _staged.Discard();
            return Content.Parser.ParseFrom(ContentPadding.Unpad(plaintext)).GroupText.Body;
        }
        catch (SignalProtocolException e)
        {
            _staged.Discard();
            return e.GetType().Name;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Uploads fresh one-time pre-keys when the relay says they run low.</summary>
    /// <returns>Whether keys were uploaded.</returns>
    public async Task<bool> RefillPreKeysIfLowAsync(CancellationToken cancellationToken = default)
    {
        var status = await _relay.KeyStatusAsync(cancellationToken);
        if (!status.Low)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var identity = await _store.GetIdentityKeyPairAsync(cancellationToken);
            var keys = await GenerateKeysAsync(_store, _db, identity, withSigned: false, cancellationToken);
            await _relay.UploadKeysAsync(keys, cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/>.</exception>
    public async Task WaitUntilAsync(Func<MessengerDevice, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Address}: condition not met within {timeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(15);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _store.Dispose();
        _db.Dispose();
        _relay.Dispose();
    }

    private delegate Task<(string Name, int DeviceId, string Password)> Registrar(RelayHttpClient client, uint registrationId, IdentityKey identity, KeyBatch keys);

    private static async Task<MessengerDevice> CreateAsync(Uri relay, string directory, IdentityKeyPair identity, Registrar register, int? expectedDeviceId, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        byte[] storageKey = RandomNumberGenerator.GetBytes(SqliteSignalProtocolStore.StorageKeySize);
        // A real app keeps this key in the platform keystore; the sample keeps it beside the database.
        File.WriteAllBytes(Path.Combine(directory, "storage.key"), storageKey);
        uint registrationId = KeyHelper.GenerateRegistrationId();
        var store = SqliteSignalProtocolStore.Create(Path.Combine(directory, "protocol.db"), storageKey, identity, registrationId);
        CryptographicOperations.ZeroMemory(storageKey);
        var db = new AppDatabase(Path.Combine(directory, "app.db"));
        var keys = await GenerateKeysAsync(store, db, identity, withSigned: true, cancellationToken);
        var client = new RelayHttpClient(relay);
        try
        {
            var (name, deviceId, password) = await register(client, registrationId, identity.IdentityKey, keys);
            if (expectedDeviceId is { } expected && expected != deviceId)
            {
                throw new InvalidOperationException("the relay reinstalled a different device");
            }

            db.Set("relay", relay.ToString());
            db.Set("name", name);
            db.Set("device_id", deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            db.Set("password", password);
            client.SetCredentials(name, deviceId, password);
            return new MessengerDevice(directory, db, store, client, name, deviceId);
        }
        catch
        {
            client.Dispose();
            store.Dispose();
            db.Dispose();
            throw;
        }
    }

    private static async Task<KeyBatch> GenerateKeysAsync(SqliteSignalProtocolStore store, AppDatabase db, IdentityKeyPair identity, bool withSigned, CancellationToken cancellationToken)
    {
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        uint nextPreKey = uint.Parse(db.Get("next_prekey") ?? "1");
        uint nextKyber = uint.Parse(db.Get("next_kyber") ?? "2");
        KeyBatch batch;
        if (withSigned)
        {
            using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, now);
            using var lastResort = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, now);
            await store.StoreSignedPreKeyAsync(1, signed, cancellationToken);
            await store.StoreKyberPreKeyAsync(1, lastResort, cancellationToken);
            batch = new KeyBatch { SignedPreKey = (1, signed.PublicKey, signed.Signature), LastResort = (1, lastResort.PublicKey, lastResort.Signature) };
        }
        else
        {
            batch = new KeyBatch();
        }

        foreach (var preKey in KeyHelper.GeneratePreKeys(nextPreKey, OneTimeKeysPerUpload))
        {
            using (preKey)
            {
                await store.StorePreKeyAsync(preKey.Id, preKey, cancellationToken);
                batch.OneTime.Add((preKey.Id, preKey.PublicKey));
            }
        }

        foreach (var kyber in KeyHelper.GenerateKyberPreKeys(identity, nextKyber, KyberKeysPerUpload, now))
        {
            using (kyber)
            {
                await store.StoreKyberPreKeyAsync(kyber.Id, kyber, cancellationToken);
                batch.Kyber.Add((kyber.Id, kyber.PublicKey, kyber.Signature));
            }
        }

        db.Set("next_prekey", (nextPreKey + OneTimeKeysPerUpload).ToString(System.Globalization.CultureInfo.InvariantCulture));
        db.Set("next_kyber", (nextKyber + KyberKeysPerUpload).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return batch;
    }

    private ulong NextTimestamp()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (true)
        {
            long last = Interlocked.Read(ref _lastTimestamp);
            long next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastTimestamp, next, last) == last)
            {
                return (ulong)next;
            }
        }
    }

    /// <summary>One content to every device of <paramref name="user"/> (the own name: to this user's other devices).</summary>
    private async Task SendContentAsync(string user, Content content, CancellationToken cancellationToken)
        => await _sender.SendAsync(user, ContentPadding.Pad(content.ToByteArray()), includeOwnDevices: false, cancellationToken);

    private async Task AnnounceGroupAsync(GroupInfo group, IEnumerable<string> audience, CancellationToken cancellationToken)
    {
        var update = new GroupUpdate { GroupId = ByteString.CopyFrom(group.Id.ToByteArray()), Title = group.Title };
        update.Members.AddRange(group.Members);
        var content = new Content { Timestamp = NextTimestamp(), GroupUpdate = update };
        foreach (string user in audience.Where(u => u != Name).Append(Name))
        {
            await SendContentAsync(user, content, cancellationToken);
        }
    }

    private async Task SendDistributionAsync(GroupCipher cipher, GroupInfo group, string user, CancellationToken cancellationToken)
    {
        var distribution = await cipher.CreateDistributionMessageAsync(Address, group.DistributionId!.Value, cancellationToken);
        var content = new Content
        {
            Timestamp = NextTimestamp(),
            SenderKeyDistribution = new SenderKeyDistribution { GroupId = ByteString.CopyFrom(group.Id.ToByteArray()), DistributionMessage = ByteString.CopyFrom(distribution.Serialize()) },
        };
        await SendContentAsync(user, content, cancellationToken);
        _db.AddGroupKeyHolder(group.Id, user);
    }

    /// <summary>
    /// The group ciphertext to every device of one user. The relay checks the device list as for any send; a
    /// refusal is repaired by the multi-device sender (sessions for new devices) and the key is re-sent to the
    /// user, so new and reinstalled devices can read the message when it is retried.
    /// </summary>
    private async Task SendSenderKeyMessageAsync(GroupCipher cipher, GroupInfo group, string user, byte[] ciphertext, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var list = await _lists.LoadDeviceListAsync(user, cancellationToken) ?? DeviceList.Empty;
            var messages = list.Devices
                .Where(d => !(user == Name && d.DeviceId == Address.DeviceId))
                .Select(d => new OutgoingDeviceMessage(new ProtocolAddress(user, d.DeviceId), d.RegistrationId, CiphertextMessageType.SenderKey, ciphertext))
                .ToArray();
            var answer = await _relay.SendAsync(user, messages, cancellationToken);
            if (answer.IsAccepted)
            {
                return;
            }

            if (attempt == MultiDeviceSender.DefaultMaxAttempts)
            {
                throw new DeviceListRepairException(user, attempt, answer);
            }

            await _sender.ApplyAnswerAsync(user, answer, cancellationToken);
            if (answer.Missing.Count > 0 || answer.Stale.Count > 0)
            {
                await SendDistributionAsync(cipher, group, user, cancellationToken);
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var socket = new ClientWebSocket();
                socket.Options.SetRequestHeader("Authorization", _relay.Authorization);
                var uri = new UriBuilder(new Uri(_relay.Relay, "v1/websocket")) { Scheme = _relay.Relay.Scheme == "https" ? "wss" : "ws" }.Uri;
                await socket.ConnectAsync(uri, cancellationToken);
                _socket = socket;
                await ReceiveAsync(socket, cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Dropped, or a batch failed: whatever was not acknowledged is still queued at the relay and comes
                // again on the next connection.
                LastError = e;
            }

            CaughtUp = false;
            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var frames = Channel.CreateUnbounded<IncomingEnvelope?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var connectionEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = ReadFramesAsync(socket, frames.Writer, connectionEnded.Token);
        try
        {
            while (await frames.Reader.WaitToReadAsync(cancellationToken))
            {
                var batch = new List<IncomingEnvelope>();
                bool sawQueueEmpty = false;
                while (batch.Count < MaxBatch && frames.Reader.TryRead(out var frame))
                {
                    if (frame is null)
                    {
                        sawQueueEmpty = true;
                        break;
                    }

                    batch.Add(frame);
                }

                if (batch.Count > 0)
                {
                    var acks = await ProcessBatchAsync(batch, cancellationToken);
                    if (FaultBeforeAcknowledge?.Invoke() == true)
                    {
                        socket.Abort();
                        return;
                    }

                    foreach (var id in acks)
                    {
                        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"ack\",\"id\":\"{id}\"}}"), WebSocketMessageType.Text, true, cancellationToken);
                    }

                    await DrainOutboxAsync(cancellationToken);
                }

                if (sawQueueEmpty)
                {
                    // Receipts queued before a crash go out once the device is back.
                    await DrainOutboxAsync(cancellationToken);
                    CaughtUp = true;
                }

                Changed?.Invoke(this);
            }
        }
        finally
        {
            connectionEnded.Cancel();
            await reader.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        await reader;
    }

    private static async Task ReadFramesAsync(ClientWebSocket socket, ChannelWriter<IncomingEnvelope?> frames, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                var root = document.RootElement;
                string? type = root.GetProperty("type").GetString();
                if (type == "queueEmpty")
                {
                    frames.TryWrite(null);
                }
                else if (type == "envelope")
                {
                    frames.TryWrite(new IncomingEnvelope(
                        root.GetProperty("id").GetGuid(),
                        root.GetProperty("source").GetString() ?? "",
                        root.GetProperty("sourceDevice").GetInt32(),
                        root.GetProperty("messageType").GetInt32(),
                        root.GetProperty("content").GetBytesFromBase64()));
                }
            }
        }
        finally
        {
            frames.TryComplete();
        }
    }

    /// <summary>Decrypts and records one batch; returns the envelope ids to acknowledge (all of them, or throws).</summary>
    private async Task<List<Guid>> ProcessBatchAsync(List<IncomingEnvelope> batch, CancellationToken cancellationToken)
    {
        var acks = new List<Guid>();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var record = new BatchRecord();
            var groups = new Dictionary<Guid, GroupInfo>();
            var fresh = new List<IncomingEnvelope>();
            var seen = new HashSet<Guid>();
            foreach (var envelope in batch)
            {
                bool wellFormed = envelope.Source.Length > 0 && envelope.SourceDevice is >= ProtocolAddress.MinDeviceId and <= ProtocolAddress.MaxDeviceId;
                if (!seen.Add(envelope.Id) || _db.IsProcessed(envelope.Id) || !wellFormed)
                {
                    acks.Add(envelope.Id);
                }
                else
                {
                    fresh.Add(envelope);
                }
            }

            for (int i = 0; i < fresh.Count;)
            {
                if (fresh[i].Type == (int)CiphertextMessageType.SenderKey)
                {
                    await ReceiveGroupMessageAsync(fresh[i], record, groups, cancellationToken);
                    record.Processed.Add(fresh[i].Id);
                    i++;
                    continue;
                }

                // A run of 1:1 messages goes through the library's batch receive (in order per sender); a sender-key
                // message after it may depend on a distribution message inside it, so runs end there.
                int end = i;
                while (end < fresh.Count && fresh[end].Type != (int)CiphertextMessageType.SenderKey)
                {
                    end++;
                }

                var run = fresh.GetRange(i, end - i);
                var results = await new BatchReceiver(_staged, Address).ReceiveAsync(
                    run.Select(e => new IncomingDeviceMessage(new ProtocolAddress(e.Source, e.SourceDevice), (CiphertextMessageType)e.Type, e.Content)).ToArray(),
                    cancellationToken);
                for (int k = 0; k < run.Count; k++)
                {
                    var result = results[k];
                    if (result.Status == ReceiveStatus.Decrypted)
                    {
                        if (run[k].Type == (int)CiphertextMessageType.PreKey)
                        {
                            Interlocked.Increment(ref _receivedKyberOrPreKey);
                        }

                        await HandleContentAsync(run[k], result.Plaintext, record, groups, cancellationToken);
                    }
                    else if (!result.MayAcknowledge)
                    {
                        throw new IOException($"could not process envelope {run[k].Id}: {result.Exception?.Message}", result.Exception);
                    }

                    record.Processed.Add(run[k].Id);
                }

                i = end;
            }

            record.Groups.AddRange(groups.Values);
            _db.Commit(record);
            // Recorded: from here on the protocol state must follow even if the caller gives up.
            await _staged.FlushAsync(CancellationToken.None);
            acks.AddRange(record.Processed);
            return acks;
        }
        catch
        {
            _staged.Discard();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task HandleContentAsync(IncomingEnvelope envelope, ReadOnlyMemory<byte> plaintext, BatchRecord record, Dictionary<Guid, GroupInfo> groups, CancellationToken cancellationToken)
    {
        Content content;
        try
        {
            content = Content.Parser.ParseFrom(ContentPadding.Unpad(plaintext.Span));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or SignalProtocolException)
        {
            return;
        }

        var sender = new ProtocolAddress(envelope.Source, envelope.SourceDevice);
        bool fromSelf = envelope.Source == Name;
        switch (content.BodyCase)
        {
            case Content.BodyOneofCase.Text:
                record.Inbox.Add(new InboxItem(sender.Name, sender.DeviceId, content.Timestamp, "text", sender.Name, content.Text.Body));
                if (!fromSelf)
                {
                    QueueDeliveryReceipt(record, sender.Name, content.Timestamp);
                }

                break;
            case Content.BodyOneofCase.Receipt:
                string kind = content.Receipt.Kind == Receipt.Types.Kind.Read ? "read" : "delivery";
                foreach (ulong timestamp in content.Receipt.Timestamps)
                {
                    record.Receipts.Add(new ReceiptItem(timestamp, sender.Name, sender.DeviceId, kind));
                }

                break;
            case Content.BodyOneofCase.SenderKeyDistribution:
                try
                {
                    await new GroupCipher(_staged).ProcessDistributionMessageAsync(sender, content.SenderKeyDistribution.DistributionMessage.Memory, cancellationToken);
                }
                catch (SignalProtocolException)
                {
                    // A malformed distribution message: its group messages will not decrypt; nothing else changes.
                }

                break;
            case Content.BodyOneofCase.SyncTranscript when fromSelf:
                var sync = content.SyncTranscript;
                string conversation = sync.GroupId.IsEmpty ? sync.Destination : "group:" + new Guid(sync.GroupId.Span);
                record.Inbox.Add(new InboxItem(Name, sender.DeviceId, sync.SentTimestamp, "sync", conversation, sync.Body));
                break;
            case Content.BodyOneofCase.GroupUpdate when content.GroupUpdate.GroupId.Length == 16:
                var update = content.GroupUpdate;
                var id = new Guid(update.GroupId.Span);
                var known = groups.TryGetValue(id, out var inBatch) ? inBatch : _db.Group(id);
                var members = update.Members.Distinct().Order(StringComparer.Ordinal).ToArray();
                bool someoneLeft = known is not null && known.Members.Except(members).Any();
                groups[id] = new GroupInfo(id, update.Title, members, known?.DistributionId, (known?.RotatePending ?? false) || (someoneLeft && known!.DistributionId is not null));
                string note = members.Contains(Name) ? $"members: {string.Join(", ", members)}" : "you were removed";
                record.Inbox.Add(new InboxItem(sender.Name, sender.DeviceId, content.Timestamp, "group-update", "group:" + id, $"\"{update.Title}\" {note}"));
                break;
        }
    }

    private async Task ReceiveGroupMessageAsync(IncomingEnvelope envelope, BatchRecord record, Dictionary<Guid, GroupInfo> groups, CancellationToken cancellationToken)
    {
        var sender = new ProtocolAddress(envelope.Source, envelope.SourceDevice);
        byte[] plaintext;
        try
        {
            plaintext = await new GroupCipher(_staged).DecryptAsync(sender, envelope.Content, cancellationToken);
        }
        catch (SignalProtocolException)
        {
            // No key (not a member any more, or the distribution was lost), a duplicate, or garbage: acknowledged, not shown.
            return;
        }

        Content content;
        try
        {
            content = Content.Parser.ParseFrom(ContentPadding.Unpad(plaintext));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or SignalProtocolException)
        {
            return;
        }

        if (content.BodyCase != Content.BodyOneofCase.GroupText || content.GroupText.GroupId.Length != 16)
        {
            return;
        }

        var groupId = new Guid(content.GroupText.GroupId.Span);
        bool fromSelf = sender.Name == Name;
        record.Inbox.Add(new InboxItem(sender.Name, sender.DeviceId, content.Timestamp, fromSelf ? "sync" : "group", "group:" + groupId, content.GroupText.Body));
        if (!fromSelf)
        {
            QueueDeliveryReceipt(record, sender.Name, content.Timestamp);
        }
    }

    private void QueueDeliveryReceipt(BatchRecord record, string sender, ulong timestamp)
    {
        var receipt = new Receipt { Kind = Receipt.Types.Kind.Delivery };
        receipt.Timestamps.Add(timestamp);
        record.Outbox.Add((sender, ContentPadding.Pad(new Content { Timestamp = NextTimestamp(), Receipt = receipt }.ToByteArray())));
    }

    /// <summary>Sends what received batches queued (delivery receipts). A crash before this resumes it on restart.</summary>
    private async Task DrainOutboxAsync(CancellationToken cancellationToken)
    {
        var pending = _db.Outbox();
        if (pending.Count > 0)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                foreach (var (id, recipient, content) in pending)
                {
                    await _sender.SendAsync(recipient, content, includeOwnDevices: false, cancellationToken);
                    _db.RemoveOutbox(id);
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        if (Interlocked.Exchange(ref _receivedKyberOrPreKey, 0) > 0)
        {
            await RefillPreKeysIfLowAsync(cancellationToken);
        }
    }
}
