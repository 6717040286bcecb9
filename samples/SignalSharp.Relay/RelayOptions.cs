namespace SignalSharp.Relay;

/// <summary>
/// Every bound the relay enforces. A request that would exceed one is refused with a 4xx and changes nothing;
/// a production deployment would tune them, the defaults suit a demo and the tests.
/// </summary>
public sealed record RelayOptions
{
    /// <summary>Largest HTTP request body, in bytes (Kestrel refuses larger bodies with 413).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest ciphertext of one message, in bytes (after base64 decoding).</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Most devices an account may have (a send carries at most this many ciphertexts).</summary>
    public int MaxDevicesPerAccount { get; init; } = 8;

    /// <summary>Most accounts the relay holds.</summary>
    public int MaxAccounts { get; init; } = 10_000;

    /// <summary>Most envelopes queued for one device; a send that would overflow any mailbox gets 429.</summary>
    public int MaxQueuedPerDevice { get; init; } = 20_000;

    /// <summary>Most ciphertext bytes queued for one device.</summary>
    public long MaxQueuedBytesPerDevice { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most one-time pre-keys of each kind (EC, Kyber) in one upload.</summary>
    public int MaxPreKeysPerUpload { get; init; } = 100;

    /// <summary>Most one-time pre-keys of each kind held for one device.</summary>
    public int MaxPreKeysPerDevice { get; init; } = 500;

    /// <summary>Below this many one-time keys of either kind the key status says "low".</summary>
    public int LowPreKeyThreshold { get; init; } = 10;

    /// <summary>Most envelopes sent on a WebSocket and not yet acknowledged.</summary>
    public int MaxInFlightPerConnection { get; init; } = 128;

    /// <summary>Largest WebSocket message a client may send (acks are tiny).</summary>
    public int MaxClientFrameBytes { get; init; } = 1024;
}
