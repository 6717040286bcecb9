using System.Text.Json;
using SignalSharp;
using SignalSharp.Relay.Accounts;
using SignalSharp.Relay.Mailbox;

namespace SignalSharp.Relay.Api;

/// <summary>The HTTP half of the relay (docs/relay.md): accounts, devices, pre-keys and sends.</summary>
internal sealed class HttpApi(RelayState state)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private RelayOptions Options => state.Options;

    public void Map(WebApplication app)
    {
        app.MapPost("/v1/accounts", (Delegate)RegisterAccountAsync);
        app.MapPost("/v1/devices", (Delegate)LinkDeviceAsync);
        app.MapPut("/v1/devices/self", (Delegate)ReinstallDeviceAsync);
        app.MapDelete("/v1/devices/{deviceId}", (Delegate)RemoveDeviceAsync);
        app.MapGet("/v1/accounts/{name}/devices", (Delegate)ListDevicesAsync);
        app.MapPut("/v1/keys", (Delegate)UploadKeysAsync);
        app.MapGet("/v1/keys/status", (Delegate)KeyStatusAsync);
        app.MapGet("/v1/keys/{name}/{deviceId}", (Delegate)GetBundlesAsync);
        app.MapPut("/v1/messages/{name}", (Delegate)SendAsync);
    }

    private async Task<IResult> RegisterAccountAsync(HttpContext context)
    {
        var (request, bad) = await ReadAsync<RegisterRequest>(context);
        if (request is null)
        {
            return bad!;
        }

        if (!Validation.IsValidName(request.Name))
        {
            return Error(400, "name must be 1..32 of a-z, 0-9, '_' and '-'");
        }

        if (!Validation.IsValidRegistrationId(request.RegistrationId))
        {
            return Error(400, "registrationId must be 1..16380");
        }

        if (Validation.ParseRegistration(request, Options, out string? error) is not { } upload)
        {
            return Error(400, error!);
        }

        string password = DeviceCredentials.NewPassword();
        var device = new DeviceRecord(1, request.RegistrationId!.Value, DeviceCredentials.Hash(password));
        if (!await state.Accounts.TryCreateAsync(request.Name!, device, Options.MaxAccounts, context.RequestAborted))
        {
            return Error(409, "name taken or the relay is full");
        }

        // Upload limits were checked above against an empty directory entry, so this cannot be refused.
        await state.Keys.TryUploadAsync(new DeviceKey(request.Name!, 1), upload, Options.MaxPreKeysPerDevice, context.RequestAborted);
        state.Report($"registered account {request.Name} with device 1 (registration id {request.RegistrationId}), {upload.OneTimePreKeys.Count} EC + {upload.KyberPreKeys.Count} Kyber one-time keys");
        return Results.Json(new RegisterResponse(request.Name!, 1, password), Json, statusCode: 201);
    }

    private async Task<IResult> LinkDeviceAsync(HttpContext context)
    {
        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is not { } linker)
        {
            return Error(401, "bad credentials");
        }

        var (request, bad) = await ReadAsync<RegisterRequest>(context);
        if (request is null)
        {
            return bad!;
        }

        if (request.Name is not null && request.Name != linker.Name)
        {
            return Error(400, "a device links into the account of the device that authorizes it");
        }

        if (!Validation.IsValidRegistrationId(request.RegistrationId))
        {
            return Error(400, "registrationId must be 1..16380");
        }

        if (Validation.ParseRegistration(request, Options, out string? error) is not { } upload)
        {
            return Error(400, error!);
        }

        string password = DeviceCredentials.NewPassword();
        if (await state.Accounts.TryAddDeviceAsync(linker.Name, request.RegistrationId!.Value, DeviceCredentials.Hash(password), Options.MaxDevicesPerAccount, context.RequestAborted) is not { } device)
        {
            return Error(409, $"the account already has {Options.MaxDevicesPerAccount} devices");
        }

        await state.Keys.TryUploadAsync(new DeviceKey(linker.Name, device.DeviceId), upload, Options.MaxPreKeysPerDevice, context.RequestAborted);
        state.Report($"{linker} linked device {linker.Name}.{device.DeviceId} (registration id {device.RegistrationId})");
        return Results.Json(new RegisterResponse(linker.Name, device.DeviceId, password), Json, statusCode: 201);
    }

    /// <summary>
    /// A reinstall: the device keeps its id but gets a new registration id, new keys and a new secret; its queued
    /// envelopes (encrypted for the old installation) are dropped. Senders that still name the old registration id
    /// get 410 and repair.
    /// </summary>
    private async Task<IResult> ReinstallDeviceAsync(HttpContext context)
    {
        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is not { } caller)
        {
            return Error(401, "bad credentials");
        }

        var (request, bad) = await ReadAsync<RegisterRequest>(context);
        if (request is null)
        {
            return bad!;
        }

        if (!Validation.IsValidRegistrationId(request.RegistrationId))
        {
            return Error(400, "registrationId must be 1..16380");
        }

        if (Validation.ParseRegistration(request, Options, out string? error) is not { } upload)
        {
            return Error(400, error!);
        }

        string password = DeviceCredentials.NewPassword();
        if (!await state.Accounts.ReplaceDeviceAsync(caller.Name, new DeviceRecord(caller.DeviceId, request.RegistrationId!.Value, DeviceCredentials.Hash(password)), context.RequestAborted))
        {
            return Error(404, "no such device");
        }

        state.Connections.Close(caller);
        await state.Mailboxes.DeleteAsync(caller, context.RequestAborted);
        await state.Keys.RemoveAsync(caller, context.RequestAborted);
        await state.Keys.TryUploadAsync(caller, upload, Options.MaxPreKeysPerDevice, context.RequestAborted);
        state.Report($"{caller} reinstalled (new registration id {request.RegistrationId}); its queue was dropped");
        return Results.Json(new RegisterResponse(caller.Name, caller.DeviceId, password), Json);
    }

    private async Task<IResult> RemoveDeviceAsync(HttpContext context, string deviceId)
    {
        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is not { } caller)
        {
            return Error(401, "bad credentials");
        }

        if (!int.TryParse(deviceId, System.Globalization.NumberStyles.None, null, out int id))
        {
            return Error(400, "device id must be a number");
        }

        var target = new DeviceKey(caller.Name, id);
        if (!await state.Accounts.RemoveDeviceAsync(caller.Name, id, context.RequestAborted))
        {
            return Error(404, "no such device");
        }

        await state.Keys.RemoveAsync(target, context.RequestAborted);
        await state.Mailboxes.DeleteAsync(target, context.RequestAborted);
        state.Connections.Close(target);
        state.Report($"{caller} removed device {target}; its keys and queue are gone");
        return Results.NoContent();
    }

    private async Task<IResult> ListDevicesAsync(HttpContext context, string name)
    {
        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is null)
        {
            return Error(401, "bad credentials");
        }

        if (!Validation.IsValidName(name) || await state.Accounts.GetAsync(name, context.RequestAborted) is not { } account)
        {
            return Error(404, "no such account");
        }

        return Results.Json(new DevicesResponse(name, account.Devices.Select(d => new DeviceJson(d.DeviceId, d.RegistrationId)).ToArray()), Json);
    }

    private async Task<IResult> UploadKeysAsync(HttpContext context)
    {
        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is not { } caller)
        {
            return Error(401, "bad credentials");
        }

        var (request, bad) = await ReadAsync<KeysRequest>(context);
        if (request is null)
        {
            return bad!;
        }

        if (await state.Keys.GetIdentityAsync(caller, context.RequestAborted) is not { } identityBytes)
        {
            return Error(404, "no keys registered for this device");
        }

        var identity = IdentityKey.Deserialize(identityBytes);
        if (Validation.ParseKeys(identity, request.SignedPreKey, request.KyberLastResortKey, request.OneTimePreKeys, request.KyberPreKeys, Options, out string? error) is not { } upload)
        {
            return Error(400, error!);
        }

        if (!await state.Keys.TryUploadAsync(caller, upload, Options.MaxPreKeysPerDevice, context.RequestAborted))
        {
            return Error(413, $"at most {Options.MaxPreKeysPerDevice} one-time keys of each kind per device");
        }

        return Results.NoContent();
    }

    private async Task<IResult> KeyStatusAsync(HttpContext context)
    {
        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is not { } caller)
        {
            return Error(401, "bad credentials");
        }

        var counts = await state.Keys.CountAsync(caller, context.RequestAborted);
        bool low = counts.OneTimePreKeys < Options.LowPreKeyThreshold || counts.KyberPreKeys < Options.LowPreKeyThreshold;
        return Results.Json(new KeyStatusResponse(counts.OneTimePreKeys, counts.KyberPreKeys, low), Json);
    }

    private async Task<IResult> GetBundlesAsync(HttpContext context, string name, string deviceId)
    {
        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is not { } caller)
        {
            return Error(401, "bad credentials");
        }

        if (!Validation.IsValidName(name) || await state.Accounts.GetAsync(name, context.RequestAborted) is not { } account)
        {
            return Error(404, "no such account");
        }

        IEnumerable<DeviceRecord> wanted;
        if (deviceId == "*")
        {
            wanted = account.Devices.Where(d => new DeviceKey(name, d.DeviceId) != caller);
        }
        else if (int.TryParse(deviceId, System.Globalization.NumberStyles.None, null, out int id) && account.Find(id) is { } one)
        {
            wanted = [one];
        }
        else
        {
            return Error(404, "no such device");
        }

        var bundles = new List<BundleJson>();
        foreach (var device in wanted)
        {
            if (await state.Keys.TakeBundleAsync(new DeviceKey(name, device.DeviceId), context.RequestAborted) is { } taken)
            {
                bundles.Add(new BundleJson(
                    device.DeviceId,
                    device.RegistrationId,
                    taken.IdentityKey,
                    ToJson(taken.SignedPreKey),
                    taken.PreKey is { } preKey ? new OneTimeKeyJson(preKey.KeyId, preKey.PublicKey) : null,
                    ToJson(taken.KyberPreKey)));
            }
        }

        return Results.Json(new BundlesResponse(name, bundles.ToArray()), Json);
    }

    private async Task<IResult> SendAsync(HttpContext context, string name)
    {
        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is not { } sender)
        {
            return Error(401, "bad credentials");
        }

        var (request, bad) = await ReadAsync<SendRequest>(context);
        if (request is null)
        {
            return bad!;
        }

        // An empty list is valid: a sender that knows no device yet learns them all from the 409.
        if (request.Messages is not { } messages || messages.Length > Options.MaxDevicesPerAccount)
        {
            return Error(400, $"messages must hold 0..{Options.MaxDevicesPerAccount} entries");
        }

        foreach (var message in messages)
        {
            if (message?.DestinationDeviceId is not (>= 1 and <= ProtocolAddress.MaxDeviceId) || message.DestinationRegistrationId is null
                || message.Type is not (2 or 3 or 7) || message.Content is not { Length: > 0 } content)
            {
                return Error(400, "every message needs destinationDeviceId, destinationRegistrationId, type (2, 3 or 7) and content");
            }

            if (content.Length > Options.MaxMessageBytes)
            {
                return Error(413, $"a message's content is at most {Options.MaxMessageBytes} bytes");
            }
        }

        if (messages.Select(m => m.DestinationDeviceId).Distinct().Count() != messages.Length)
        {
            return Error(400, "one message per destination device");
        }

        if (!Validation.IsValidName(name) || await state.Accounts.GetAsync(name, context.RequestAborted) is not { } account)
        {
            return Error(404, "no such account");
        }

        // A send to one's own account (sync copies) goes to every device but the sender.
        var expected = account.Devices.Where(d => !(name == sender.Name && d.DeviceId == sender.DeviceId)).ToDictionary(d => d.DeviceId);
        var named = messages.Select(m => m.DestinationDeviceId!.Value).ToHashSet();
        int[] missing = expected.Keys.Where(id => !named.Contains(id)).Order().ToArray();
        int[] extra = named.Where(id => !expected.ContainsKey(id)).Order().ToArray();
        if (missing.Length > 0 || extra.Length > 0)
        {
            state.Report($"{sender} -> {name}: refused 409 missing [{string.Join(",", missing)}] extra [{string.Join(",", extra)}]");
            return Results.Json(new MismatchedDevicesResponse(missing, extra), Json, statusCode: 409);
        }

        int[] stale = messages.Where(m => expected[m.DestinationDeviceId!.Value].RegistrationId != m.DestinationRegistrationId).Select(m => m.DestinationDeviceId!.Value).Order().ToArray();
        if (stale.Length > 0)
        {
            state.Report($"{sender} -> {name}: refused 410 stale [{string.Join(",", stale)}]");
            return Results.Json(new StaleDevicesResponse(stale), Json, statusCode: 410);
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var entries = messages.Select(m => (new DeviceKey(name, m.DestinationDeviceId!.Value),
            new StoredEnvelope(Guid.NewGuid(), 0, sender.Name, sender.DeviceId, m.Type!.Value, now, m.Content!))).ToArray();
        if (!await state.Mailboxes.TryEnqueueAsync(entries, Options.MaxQueuedPerDevice, Options.MaxQueuedBytesPerDevice, context.RequestAborted))
        {
            return Error(429, "a destination mailbox is full; retry later");
        }

        if (entries.Length > 0)
        {
            state.Report($"{sender} -> {name}: queued " + string.Join(", ", entries.Select(e => $"{e.Item1.DeviceId}:{TypeName(e.Item2.MessageType)} {e.Item2.Content.Length} B {Convert.ToHexString(e.Item2.Content, 0, 4).ToLowerInvariant()}..")));
        }

        return Results.Json(new SendResponse(entries.Length, now), Json);
    }

    private static string TypeName(int type) => type switch { 2 => "SignalMessage", 3 => "PreKeySignalMessage", _ => "SenderKeyMessage" };

    private static SignedKeyJson ToJson(SignedKey key) => new(key.KeyId, key.PublicKey, key.Signature);

    private static IResult Error(int status, string message) => Results.Json(new ErrorResponse(message), Json, statusCode: status);

    /// <summary>Reads a JSON body; a malformed, oversized or non-JSON body becomes a 4xx result.</summary>
    private async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        if (context.Request.ContentLength is { } length && length > Options.MaxRequestBodyBytes)
        {
            return (null, Error(413, $"bodies are at most {Options.MaxRequestBodyBytes} bytes"));
        }

        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Error(415, "send application/json"));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, context.RequestAborted);
            return value is null ? (null, Error(400, "empty body")) : (value, null);
        }
        catch (JsonException)
        {
            return (null, Error(400, "malformed JSON"));
        }
        catch (BadHttpRequestException e)
        {
            return (null, Error(e.StatusCode, e.Message));
        }
    }
}
