using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Devices;

namespace SignalSharp.Messenger;

/// <summary>A refusal or failure from the relay that the client does not repair by itself.</summary>
public sealed class RelayException(HttpStatusCode status, string message) : Exception($"relay answered {(int)status}: {message}")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// The relay's HTTP API (docs/relay.md) for one device, and the library's <see cref="IDeviceTransport"/> over it:
/// 409/410 answers become <see cref="DeliveryAnswer"/>s for the multi-device sender's repair loop.
/// </summary>
public sealed class RelayHttpClient : IDeviceTransport, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    /// <summary>Creates a client; <paramref name="name"/>, <paramref name="deviceId"/> and <paramref name="password"/> may be set later by <see cref="SetCredentials"/>.</summary>
    public RelayHttpClient(Uri relay, string? name = null, int deviceId = 0, string? password = null)
    {
        _http = new HttpClient { BaseAddress = relay, Timeout = TimeSpan.FromSeconds(30) };
        Relay = relay;
        if (name is not null && password is not null)
        {
            SetCredentials(name, deviceId, password);
        }
    }

    /// <summary>The relay's base address.</summary>
    public Uri Relay { get; }

    /// <summary>The <c>Authorization</c> header value this device sends (HTTP and WebSocket).</summary>
    public string? Authorization { get; private set; }

    /// <summary>Sets the device's credentials.</summary>
    public void SetCredentials(string name, int deviceId, string password)
    {
        Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}.{deviceId}:{password}"));
        _http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(Authorization);
    }

    /// <summary><c>POST /v1/accounts</c>, <c>POST /v1/devices</c> (linking, authorized by this client's device) or <c>PUT /v1/devices/self</c> (reinstall).</summary>
    public async Task<(string Name, int DeviceId, string Password)> RegisterAsync(string path, HttpMethod method, string? name, uint registrationId, IdentityKey identity, KeyBatch keys, CancellationToken cancellationToken)
    {
        var body = keys.ToJson();
        body["name"] = name;
        body["registrationId"] = registrationId;
        body["identityKey"] = Convert.ToBase64String(identity.Serialize());
        using var response = await _http.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) }, cancellationToken);
        var answer = await ReadAsync(response, cancellationToken);
        return (answer["name"]!.GetValue<string>(), answer["deviceId"]!.GetValue<int>(), answer["password"]!.GetValue<string>());
    }

    /// <summary><c>PUT /v1/keys</c>.</summary>
    public async Task UploadKeysAsync(KeyBatch keys, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsJsonAsync("v1/keys", keys.ToJson(), cancellationToken);
        await ReadAsync(response, cancellationToken);
    }

    /// <summary><c>GET /v1/keys/status</c>: one-time keys left and whether they run low.</summary>
    public async Task<(int PreKeys, int KyberPreKeys, bool Low)> KeyStatusAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("v1/keys/status", cancellationToken);
        var answer = await ReadAsync(response, cancellationToken);
        return (answer["oneTimePreKeys"]!.GetValue<int>(), answer["kyberPreKeys"]!.GetValue<int>(), answer["low"]!.GetValue<bool>());
    }

    /// <summary><c>GET /v1/accounts/{name}/devices</c>.</summary>
    public async Task<IReadOnlyList<DeviceEntry>> DevicesAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"v1/accounts/{Uri.EscapeDataString(name)}/devices", cancellationToken);
        var answer = await ReadAsync(response, cancellationToken);
        return answer["devices"]!.AsArray().Select(d => new DeviceEntry(d!["deviceId"]!.GetValue<int>(), d["registrationId"]!.GetValue<uint>())).ToArray();
    }

    /// <summary><c>DELETE /v1/devices/{id}</c>.</summary>
    public async Task RemoveDeviceAsync(int deviceId, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync($"v1/devices/{deviceId}", cancellationToken);
        await ReadAsync(response, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<PreKeyBundle>> FetchPreKeyBundlesAsync(string name, IReadOnlyList<int> deviceIds, CancellationToken cancellationToken)
    {
        var bundles = new List<PreKeyBundle>();
        foreach (int id in deviceIds)
        {
            using var response = await _http.GetAsync($"v1/keys/{Uri.EscapeDataString(name)}/{id}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }

            var answer = await ReadAsync(response, cancellationToken);
            foreach (var device in answer["devices"]!.AsArray())
            {
                bundles.Add(ParseBundle(device!));
            }
        }

        return bundles;
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryAnswer> SendAsync(string name, IReadOnlyList<OutgoingDeviceMessage> messages, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(messages.Select(m => (JsonNode)new JsonObject
            {
                ["destinationDeviceId"] = m.Destination.DeviceId,
                ["destinationRegistrationId"] = m.RegistrationId,
                ["type"] = (int)m.Type,
                ["content"] = Convert.ToBase64String(m.Body.Span),
            }).ToArray()),
        };
        using var response = await _http.PutAsJsonAsync($"v1/messages/{Uri.EscapeDataString(name)}", body, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Conflict:
            {
                var answer = await ReadJsonAsync(response, cancellationToken);
                return DeliveryAnswer.Mismatched(Ints(answer["missingDevices"]), Ints(answer["extraDevices"]));
            }

            case HttpStatusCode.Gone:
            {
                var answer = await ReadJsonAsync(response, cancellationToken);
                return DeliveryAnswer.StaleDevices(Ints(answer["staleDevices"]));
            }

            default:
                await ReadAsync(response, cancellationToken);
                return DeliveryAnswer.Accepted;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static PreKeyBundle ParseBundle(JsonNode device)
    {
        static byte[] B(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());
        var signed = device["signedPreKey"]!;
        var kyber = device["kyberPreKey"]!;
        var preKey = device["preKey"];
        return new PreKeyBundle(
            device["registrationId"]!.GetValue<uint>(),
            device["deviceId"]!.GetValue<int>(),
            preKey?["keyId"]!.GetValue<uint>(),
            preKey is null ? null : EcPublicKey.Deserialize(B(preKey["publicKey"])),
            signed["keyId"]!.GetValue<uint>(),
            EcPublicKey.Deserialize(B(signed["publicKey"])),
            B(signed["signature"]),
            IdentityKey.Deserialize(B(device["identityKey"])),
            kyber["keyId"]!.GetValue<uint>(),
            KemPublicKey.Deserialize(B(kyber["publicKey"])),
            B(kyber["signature"]));
    }

    private static int[] Ints(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<int>()).ToArray() ?? [];

    private static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject ?? new JsonObject();

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new RelayException(response.StatusCode, text);
        }

        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
    }
}
