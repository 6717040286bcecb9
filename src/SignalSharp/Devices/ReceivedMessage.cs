namespace SignalSharp.Devices;

/// <summary>The outcome of one message of a batch receive.</summary>
public sealed class ReceivedMessage
{
    private ReceivedMessage(int index, ProtocolAddress sender, ReceiveStatus status, ReadOnlyMemory<byte> plaintext, ReceiveErrorKind error, Exception? exception)
    {
        Index = index;
        Sender = sender;
        Status = status;
        Plaintext = plaintext;
        Error = error;
        Exception = exception;
    }

    /// <summary>The message's position in the batch.</summary>
    public int Index { get; }

    /// <summary>The sending device.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>What became of the message.</summary>
    public ReceiveStatus Status { get; }

    /// <summary>The plaintext when <see cref="Status"/> is <see cref="ReceiveStatus.Decrypted"/>, else empty.</summary>
    public ReadOnlyMemory<byte> Plaintext { get; }

    /// <summary>Why it failed, when <see cref="Status"/> is <see cref="ReceiveStatus.Failed"/>.</summary>
    public ReceiveErrorKind Error { get; }

    /// <summary>The failure itself (for logs), when <see cref="Status"/> is <see cref="ReceiveStatus.Failed"/>.</summary>
    public Exception? Exception { get; }

    /// <summary>Whether the message may be acknowledged to the server once the application has durably recorded this outcome.</summary>
    public bool MayAcknowledge => Status switch
    {
        ReceiveStatus.Decrypted or ReceiveStatus.Duplicate => true,
        ReceiveStatus.Failed => Error != ReceiveErrorKind.Store,
        _ => false,
    };

    internal static ReceivedMessage Decrypted(int index, ProtocolAddress sender, byte[] plaintext) => new(index, sender, ReceiveStatus.Decrypted, plaintext, ReceiveErrorKind.None, null);

    internal static ReceivedMessage Duplicate(int index, ProtocolAddress sender) => new(index, sender, ReceiveStatus.Duplicate, default, ReceiveErrorKind.None, null);

    internal static ReceivedMessage Skipped(int index, ProtocolAddress sender) => new(index, sender, ReceiveStatus.Skipped, default, ReceiveErrorKind.None, null);

    internal static ReceivedMessage Failed(int index, ProtocolAddress sender, ReceiveErrorKind error, Exception exception) => new(index, sender, ReceiveStatus.Failed, default, error, exception);
}
