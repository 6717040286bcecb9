namespace SignalSharp.Devices;

/// <summary>What a <see cref="MultiDeviceSender.SendAsync"/> delivered: the accepted ciphertexts, one per device.</summary>
public sealed class MultiDeviceSendResult
{
    /// <summary>Creates the result.</summary>
    /// <param name="messages">The ciphertexts the server accepted, one per device.</param>
    /// <param name="attempts">How many send requests were made in all (one per user when nothing needed repair).</param>
    public MultiDeviceSendResult(IReadOnlyList<OutgoingDeviceMessage> messages, int attempts)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Messages = Array.AsReadOnly(messages.ToArray());
        Attempts = attempts;
    }

    /// <summary>The ciphertexts the server accepted: the recipient's devices first, then the sender's other devices.</summary>
    public IReadOnlyList<OutgoingDeviceMessage> Messages { get; }

    /// <summary>How many send requests were made in all.</summary>
    public int Attempts { get; }
}
