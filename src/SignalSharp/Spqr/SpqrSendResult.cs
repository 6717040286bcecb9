using System.Diagnostics;

namespace SignalSharp.Spqr;

/// <summary>The outcome of <see cref="SpqrState.Send(SignalSharp.RandomSource)"/>.</summary>
/// <param name="Message">The SPQR message for SignalMessage field 5.</param>
/// <param name="Key">The 32-byte SPQR message key: the HKDF salt of the Double Ratchet message keys.</param>
/// <param name="NewState">The state to store once the message is committed.</param>
internal sealed record SpqrSendResult(byte[] Message, [property: DebuggerBrowsable(DebuggerBrowsableState.Never)] byte[] Key, SpqrState NewState);
