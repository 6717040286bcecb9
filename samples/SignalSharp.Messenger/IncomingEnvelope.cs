namespace SignalSharp.Messenger;

/// <summary>An envelope as the relay's WebSocket delivers it (untrusted until decrypted).</summary>
internal sealed record IncomingEnvelope(Guid Id, string Source, int SourceDevice, int Type, byte[] Content);
