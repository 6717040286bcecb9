using System.Diagnostics;

namespace SignalSharp.Spqr;

/// <summary>The outcome of <see cref="SpqrState.Receive(System.ReadOnlySpan{byte})"/>.</summary>
/// <param name="Key">
/// The 32-byte SPQR message key (the HKDF salt of the Double Ratchet message keys), or an empty array for a
/// message of a newer SPQR version, which SPQR V1 ignores (no salt, state unchanged).
/// </param>
/// <param name="NewState">The state to store once the whole message has authenticated.</param>
internal sealed record SpqrReceiveResult([property: DebuggerBrowsable(DebuggerBrowsableState.Never)] byte[] Key, SpqrState NewState);
