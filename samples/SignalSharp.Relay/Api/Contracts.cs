using System.Text.Json.Serialization;

namespace SignalSharp.Relay.Api;

// The JSON bodies of the HTTP API, exactly as docs/relay.md describes them. Binary fields are standard base64.
// Every member is nullable so that a missing field is a validation error (400) rather than a default value.

/// <summary>A signed public key (signed pre-key, Kyber pre-key or last-resort Kyber key).</summary>
public sealed record SignedKeyJson(uint? KeyId, byte[]? PublicKey, byte[]? Signature);

/// <summary>A one-time EC pre-key.</summary>
public sealed record OneTimeKeyJson(uint? KeyId, byte[]? PublicKey);

/// <summary>Body of <c>POST /v1/accounts</c> and <c>POST /v1/devices</c>.</summary>
public sealed record RegisterRequest(
    string? Name,
    uint? RegistrationId,
    byte[]? IdentityKey,
    SignedKeyJson? SignedPreKey,
    SignedKeyJson? KyberLastResortKey,
    OneTimeKeyJson[]? OneTimePreKeys,
    SignedKeyJson[]? KyberPreKeys);

/// <summary>Answer to a registration: the device's address and its secret (shown once).</summary>
public sealed record RegisterResponse(string Name, int DeviceId, string Password);

/// <summary>Body of <c>PUT /v1/keys</c>.</summary>
public sealed record KeysRequest(SignedKeyJson? SignedPreKey, SignedKeyJson? KyberLastResortKey, OneTimeKeyJson[]? OneTimePreKeys, SignedKeyJson[]? KyberPreKeys);

/// <summary>Answer of <c>GET /v1/keys/status</c>.</summary>
public sealed record KeyStatusResponse(int OneTimePreKeys, int KyberPreKeys, bool Low);

/// <summary>One device's bundle in <c>GET /v1/keys/{name}/{device}</c>.</summary>
public sealed record BundleJson(
    int DeviceId,
    uint RegistrationId,
    byte[] IdentityKey,
    SignedKeyJson SignedPreKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OneTimeKeyJson? PreKey,
    SignedKeyJson KyberPreKey);

/// <summary>Answer of <c>GET /v1/keys/{name}/{device}</c>.</summary>
public sealed record BundlesResponse(string Name, BundleJson[] Devices);

/// <summary>One device in <c>GET /v1/accounts/{name}/devices</c>.</summary>
public sealed record DeviceJson(int DeviceId, uint RegistrationId);

/// <summary>Answer of <c>GET /v1/accounts/{name}/devices</c>.</summary>
public sealed record DevicesResponse(string Name, DeviceJson[] Devices);

/// <summary>One ciphertext of a send, for one destination device.</summary>
public sealed record OutgoingMessageJson(int? DestinationDeviceId, uint? DestinationRegistrationId, int? Type, byte[]? Content);

/// <summary>Body of <c>PUT /v1/messages/{name}</c>: one ciphertext per device of the destination account.</summary>
public sealed record SendRequest(OutgoingMessageJson[]? Messages);

/// <summary>Answer of an accepted send: how many envelopes were queued and when.</summary>
public sealed record SendResponse(int Queued, long ServerTimestamp);

/// <summary>409: the send's device list differs from the account's.</summary>
public sealed record MismatchedDevicesResponse(int[] MissingDevices, int[] ExtraDevices);

/// <summary>410: these devices were re-registered (their registration id changed).</summary>
public sealed record StaleDevicesResponse(int[] StaleDevices);

/// <summary>Every 4xx without a more specific body.</summary>
public sealed record ErrorResponse(string Error);
