using SignalSharp;

namespace SignalSharp.Devices;

/// <summary>One queued ciphertext as a server delivers it: who sent it, its kind and its bytes (all untrusted).</summary>
public sealed class IncomingDeviceMessage
{
    /// <summary>Creates the message.</summary>
    /// <param name="sender">The sending device (as the server or the sealed-sender layer names it).</param>
    /// <param name="type">The kind of ciphertext the envelope claims.</param>
    /// <param name="body">The serialized ciphertext.</param>
    public IncomingDeviceMessage(ProtocolAddress sender, CiphertextMessageType type, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(sender);
        Sender = sender;
        Type = type;
        Body = body;
    }

    /// <summary>The sending device.</summary>
    public ProtocolAddress Sender { get; }

    /// <summary>The kind of ciphertext the envelope claims.</summary>
    public CiphertextMessageType Type { get; }

    /// <summary>The serialized ciphertext.</summary>
    public ReadOnlyMemory<byte> Body { get; }
}
