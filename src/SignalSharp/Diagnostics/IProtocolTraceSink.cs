namespace SignalSharp.Diagnostics;

/// <summary>
/// Receives the intermediate values of protocol operations while a <see cref="ProtocolTrace"/> scope is open.
/// Internal: only the test-vector generator listens; intermediates are never public API.
/// </summary>
internal interface IProtocolTraceSink
{
    /// <summary>A named byte value (a key, a DH output, a derived secret).</summary>
    void Record(string name, ReadOnlySpan<byte> value);

    /// <summary>A named number (a counter, an epoch, an iteration).</summary>
    void Record(string name, ulong value);
}
