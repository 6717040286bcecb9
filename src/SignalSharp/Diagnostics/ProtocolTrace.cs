namespace SignalSharp.Diagnostics;

/// <summary>
/// Observation hook for the published test vectors: while a scope is open on the current async flow, the
/// protocol steps report their intermediate values (DH outputs, KDF outputs, message keys, SPQR epoch
/// secrets) to its sink. When no scope is open anywhere, <see cref="Sink"/> is one read of a static counter
/// that is zero, so the hot path pays a predictable branch and nothing else. The sink is async-local so that
/// concurrent work in the same process (other tests) is never captured.
/// </summary>
internal static class ProtocolTrace
{
    private static readonly AsyncLocal<IProtocolTraceSink?> Current = new();
    private static int openScopes;

    /// <summary>The sink of the current async flow, or null (always null while no scope is open).</summary>
    internal static IProtocolTraceSink? Sink => openScopes == 0 ? null : Current.Value;

    /// <summary>
    /// Sends the intermediates of the current async flow to <paramref name="sink"/> until the returned scope
    /// is disposed. Call it from the method that awaits the traced operations (not from a helper that
    /// returns before them), so the async-local value flows into them.
    /// </summary>
    internal static IDisposable Listen(IProtocolTraceSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var previous = Current.Value;
        Current.Value = sink;
        Interlocked.Increment(ref openScopes);
        return new Scope(previous);
    }

    private sealed class Scope(IProtocolTraceSink? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Current.Value = previous;
            Interlocked.Decrement(ref openScopes);
        }
    }
}
