using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Messenger;
using Xunit;

namespace SignalSharp.Relay.Tests;

public sealed class RelayHardeningTests
{
    private static readonly TimeSpan Patience = RelayHarness.Patience;

    [Fact]
    public async Task Malformed_registrations_get_a_4xx_and_create_nothing()
    {
        await using var h = await RelayHarness.StartAsync(new RelayOptions { MaxRequestBodyBytes = 64 * 1024 });
        using var http = new HttpClient { BaseAddress = h.Relay.BaseAddress };

        Assert.Equal(HttpStatusCode.BadRequest, (await PostRaw(http, "v1/accounts", "{not json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostRaw(http, "v1/accounts", "{\"name\":\"mallory\",\"registrationId\":5,\"identityKey\":\"AAAA\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostRaw(http, "v1/accounts", "{\"name\":\"Not Valid!\",\"registrationId\":5}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostRaw(http, "v1/accounts", "[1,2,3]")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync("v1/accounts", new StringContent("{}", Encoding.UTF8, "text/plain"))).StatusCode);
        // Declared too large: refused from the headers (the client waits for 100-continue, so no body is sent).
        var oversized = new HttpRequestMessage(HttpMethod.Post, "v1/accounts") { Content = new StringContent("{\"name\":\"" + new string('a', 100_000) + "\"}", Encoding.UTF8, "application/json") };
        oversized.Headers.ExpectContinue = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(oversized)).StatusCode);

        // A well-formed registration whose signed pre-key signature does not verify.
        var body = await ValidRegistrationAsync("mallory");
        var signature = Convert.FromBase64String(body["signedPreKey"]!["signature"]!.GetValue<string>());
        signature[0] ^= 1;
        body["signedPreKey"]!["signature"] = Convert.ToBase64String(signature);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostRaw(http, "v1/accounts", body.ToJsonString())).StatusCode);

        Assert.Empty(await h.Relay.Accounts.ListAsync());
        Assert.Equal(HttpStatusCode.Created, (await PostRaw(http, "v1/accounts", (await ValidRegistrationAsync("mallory")).ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostRaw(http, "v1/accounts", (await ValidRegistrationAsync("mallory")).ToJsonString())).StatusCode);
        Assert.Single(await h.Relay.Accounts.ListAsync());
    }

    [Fact]
    public async Task Malformed_oversized_or_unauthenticated_sends_get_a_4xx_and_queue_nothing()
    {
        await using var h = await RelayHarness.StartAsync(new RelayOptions { MaxMessageBytes = 1024, MaxQueuedPerDevice = 3 });
        var alice = await h.RegisterAsync("alice", connect: false);
        var bob = await h.RegisterAsync("bob", connect: false);
        using var http = Authorized(h, alice);
        uint bobRegistration = (await alice.Relay.DevicesAsync("bob", CancellationToken.None))[0].RegistrationId;
        string Send(int device, uint registration, int type, int size) =>
            $"{{\"messages\":[{{\"destinationDeviceId\":{device},\"destinationRegistrationId\":{registration},\"type\":{type},\"content\":\"{Convert.ToBase64String(new byte[size])}\"}}]}}";

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PutRaw(http, "v1/messages/bob", Send(1, bobRegistration, 2, 2000))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutRaw(http, "v1/messages/bob", Send(1, bobRegistration, 9, 10))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutRaw(http, "v1/messages/bob", "{\"messages\":[{\"destinationDeviceId\":1}]}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutRaw(http, "v1/messages/bob", "{\"messages\":\"nope\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutRaw(http, "v1/messages/nobody", Send(1, 1, 2, 10))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PutRaw(http, "v1/messages/bob", Send(2, bobRegistration, 2, 10))).StatusCode);
        var stale = await PutRaw(http, "v1/messages/bob", Send(1, bobRegistration + 1, 2, 10));
        Assert.Equal(HttpStatusCode.Gone, stale.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await stale.Content.ReadAsStringAsync())!["staleDevices"]![0]!.GetValue<int>());
        using (var anonymous = new HttpClient { BaseAddress = h.Relay.BaseAddress })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PutRaw(anonymous, "v1/messages/bob", Send(1, bobRegistration, 2, 10))).StatusCode);
        }

        Assert.Equal((0, 0L), await h.Relay.Mailboxes.SizeAsync(new DeviceKey("bob", 1)));

        // The mailbox bound: three fit, the fourth is refused whole.
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PutRaw(http, "v1/messages/bob", Send(1, bobRegistration, 2, 10))).StatusCode);
        }

        Assert.Equal((HttpStatusCode)429, (await PutRaw(http, "v1/messages/bob", Send(1, bobRegistration, 2, 10))).StatusCode);
        Assert.Equal(3, (await h.Relay.Mailboxes.SizeAsync(new DeviceKey("bob", 1))).Count);
    }

    [Fact]
    public async Task Key_uploads_beyond_the_bounds_are_refused_and_bundles_consume_one_time_keys_once()
    {
        await using var h = await RelayHarness.StartAsync(new RelayOptions { MaxPreKeysPerUpload = 20, MaxPreKeysPerDevice = 50 });
        var alice = await h.RegisterAsync("alice", connect: false);
        var bob = await h.RegisterAsync("bob", connect: false);
        using var http = Authorized(h, bob);
        var before = await h.Relay.Keys.CountAsync(new DeviceKey("bob", 1));

        var tooMany = new JsonObject { ["oneTimePreKeys"] = new JsonArray(Enumerable.Range(100, 21).Select(i => (JsonNode)new JsonObject { ["keyId"] = i, ["publicKey"] = Convert.ToBase64String(KeyHelper.GeneratePreKeys((uint)i, 1)[0].PublicKey.Serialize()) }).ToArray()) };
        Assert.Equal(HttpStatusCode.BadRequest, (await PutRaw(http, "v1/keys", tooMany.ToJsonString())).StatusCode);
        var badKey = new JsonObject { ["oneTimePreKeys"] = new JsonArray(new JsonObject { ["keyId"] = 1, ["publicKey"] = Convert.ToBase64String(new byte[33]) }) };
        Assert.Equal(HttpStatusCode.BadRequest, (await PutRaw(http, "v1/keys", badKey.ToJsonString())).StatusCode);
        Assert.Equal(before, await h.Relay.Keys.CountAsync(new DeviceKey("bob", 1)));

        // Each bundle fetch consumes one one-time key of each kind; the signed and last-resort keys are reused.
        using var aliceHttp = Authorized(h, alice);
        var first = JsonNode.Parse(await aliceHttp.GetStringAsync("v1/keys/bob/1"))!["devices"]![0]!;
        var second = JsonNode.Parse(await aliceHttp.GetStringAsync("v1/keys/bob/1"))!["devices"]![0]!;
        Assert.NotEqual(first["preKey"]!["keyId"]!.GetValue<uint>(), second["preKey"]!["keyId"]!.GetValue<uint>());
        Assert.Equal(first["signedPreKey"]!["keyId"]!.GetValue<uint>(), second["signedPreKey"]!["keyId"]!.GetValue<uint>());
        var after = await h.Relay.Keys.CountAsync(new DeviceKey("bob", 1));
        Assert.Equal(before.OneTimePreKeys - 2, after.OneTimePreKeys);
        Assert.Equal(before.KyberPreKeys - 2, after.KyberPreKeys);
    }

    [Fact]
    public async Task Running_low_on_one_time_keys_is_signalled_and_the_client_refills()
    {
        await using var h = await RelayHarness.StartAsync(new RelayOptions { LowPreKeyThreshold = 10 });
        var alice = await h.RegisterAsync("alice", connect: false);
        var bob = await h.RegisterAsync("bob", connect: false);
        using var aliceHttp = Authorized(h, alice);
        for (int i = 0; i < 10; i++)
        {
            await aliceHttp.GetStringAsync("v1/keys/bob/1");
        }

        var low = await bob.Relay.KeyStatusAsync(CancellationToken.None);
        Assert.True(low.Low);
        Assert.Equal(0, low.KyberPreKeys);
        Assert.True(await bob.RefillPreKeysIfLowAsync());
        Assert.False((await bob.Relay.KeyStatusAsync(CancellationToken.None)).Low);
    }

    [Fact]
    public async Task One_devices_credentials_cannot_read_or_acknowledge_another_devices_mailbox()
    {
        await using var h = await RelayHarness.StartAsync();
        var alice = await h.RegisterAsync("alice", connect: false);
        var bob = await h.RegisterAsync("bob", connect: false);
        var mallory = await h.RegisterAsync("mallory", connect: false);
        await alice.SendTextAsync("bob", "for bob only");
        var bobsEnvelope = (await h.Relay.Mailboxes.ReadAsync(new DeviceKey("bob", 1), 0, 10)).Single();

        // Mallory's secret with bob's address, a wrong secret, no secret: refused before any upgrade.
        string malloryPassword = Password(mallory);
        foreach (var header in new[] { Basic("bob.1:" + malloryPassword), Basic("bob.1:" + Password(bob) + "x"), Basic("bob.2:" + Password(bob)), null })
        {
            using var socket = new ClientWebSocket();
            if (header is not null)
            {
                socket.Options.SetRequestHeader("Authorization", header);
            }

            var refused = await Assert.ThrowsAnyAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketUri(h), CancellationToken.None));
            Assert.Contains("401", refused.Message + refused.InnerException?.Message, StringComparison.Ordinal);
        }

        // Mallory's own connection delivers only her (empty) mailbox, and acknowledging bob's envelope id does nothing.
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Authorization", mallory.Relay.Authorization);
            await socket.ConnectAsync(WebSocketUri(h), CancellationToken.None);
            var buffer = new byte[4096];
            var frame = await socket.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Contains("queueEmpty", Encoding.UTF8.GetString(buffer, 0, frame.Count), StringComparison.Ordinal);
            await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"ack\",\"id\":\"{bobsEnvelope.Id}\"}}"), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"garbage\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
            var closing = await socket.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Equal(WebSocketMessageType.Close, closing.MessageType);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        }

        Assert.Equal(bobsEnvelope.Id, (await h.Relay.Mailboxes.ReadAsync(new DeviceKey("bob", 1), 0, 10)).Single().Id);
        bob.Connect();
        await bob.WaitUntilAsync(d => d.Inbox().Any(i => i.Body == "for bob only"), Patience);
    }

    private static Uri WebSocketUri(RelayHarness h) => new UriBuilder(new Uri(h.Relay.BaseAddress, "v1/websocket")) { Scheme = "ws" }.Uri;

    private static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

    private static string Password(MessengerDevice device)
    {
        string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(device.Relay.Authorization!["Basic ".Length..]));
        return decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }

    private static HttpClient Authorized(RelayHarness h, MessengerDevice device)
    {
        var http = new HttpClient { BaseAddress = h.Relay.BaseAddress };
        http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(device.Relay.Authorization!);
        return http;
    }

    private static Task<HttpResponseMessage> PostRaw(HttpClient http, string path, string json) => http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> PutRaw(HttpClient http, string path, string json) => http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> ValidRegistrationAsync(string name)
    {
        var identity = KeyHelper.GenerateIdentityKeyPair();
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 1);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, 1);
        var keys = new KeyBatch { SignedPreKey = (1, signed.PublicKey, signed.Signature), LastResort = (1, kyber.PublicKey, kyber.Signature) };
        var json = keys.ToJson();
        json["name"] = name;
        json["registrationId"] = 42;
        json["identityKey"] = Convert.ToBase64String(identity.IdentityKey.Serialize());
        await Task.CompletedTask;
        return json;
    }
}
