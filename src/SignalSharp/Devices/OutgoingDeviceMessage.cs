using SignalSharp;

namespace SignalSharp.Devices;

/// <summary>
/// One ciphertext for one device, with what a server needs to route it and to check the sender's view of the
/// device: the destination address and the registration id of the session it was encrypted in.
/// </summary>
public sealed class OutgoingDeviceMessage
{
    /// <summary>Creates the message.</summary>
    /// <param name="destination">The device it is for.</param>
    /// <param name="registrationId">The destination's registration id as the session knows it.</param>
    /// <param name="type">The kind of ciphertext (<see cref="CiphertextMessageType.PreKey"/> or <see cref="CiphertextMessageType.Whisper"/>).</param>
    /// <param name="body">The serialized ciphertext.</param>
    public OutgoingDeviceMessage(ProtocolAddress destination, uint registrationId, CiphertextMessageType type, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Destination = destination;
        RegistrationId = registrationId;
        Type = type;
        Body = body;
    }

    /// <summary>The device it is for.</summary>
    public ProtocolAddress Destination { get; }

    /// <summary>The destination's registration id as the session knows it; the server answers "stale" when it changed.</summary>
    public uint RegistrationId { get; }

    /// <summary>The kind of ciphertext.</summary>
    public CiphertextMessageType Type { get; }

    /// <summary>The serialized ciphertext, exactly as it must be delivered.</summary>
    public ReadOnlyMemory<byte> Body { get; }
}
