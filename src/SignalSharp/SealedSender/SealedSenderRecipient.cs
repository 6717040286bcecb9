namespace SignalSharp.SealedSender;

/// <summary>
/// One recipient user of a parsed <see cref="SealedSenderMultiRecipientMessage"/>: its ServiceId, its devices
/// and their registration ids (what the server compares with the account before delivering).
/// </summary>
public sealed class SealedSenderRecipient
{
    internal SealedSenderRecipient(string serviceId, int cOffset, byte[] message)
    {
        ServiceId = serviceId;
        COffset = cOffset;
        Message = message;
    }

    /// <summary>The ServiceId: a lowercase hyphenated UUID for an ACI, <c>PNI:</c> + UUID for a PNI.</summary>
    public string ServiceId { get; }

    /// <summary>The device ids, in message order (devices of repeated entries appended).</summary>
    public IReadOnlyList<int> DeviceIds => DeviceList;

    /// <summary>The registration ids (low 14 bits), parallel to <see cref="DeviceIds"/>.</summary>
    public IReadOnlyList<int> RegistrationIds => RegistrationList;

    internal List<int> DeviceList { get; } = [];

    internal List<int> RegistrationList { get; } = [];

    /// <summary>Offset of this user's C ‖ AT in the SentMessage (the first entry's, when listed twice).</summary>
    internal int COffset { get; }

    /// <summary>The SentMessage this recipient was parsed from.</summary>
    internal byte[] Message { get; }
}
