
namespace SignalSharp.Fuzz.Targets;

/// <summary>A retry receipt's body (ratchet key, timestamp, device id), then re-serialization.</summary>
public sealed class DecryptionErrorMessageTarget : FuzzTarget
{
    public override string Name => "decryption-error-message";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var message = DecryptionErrorMessage.Deserialize(input);
        _ = DecryptionErrorMessage.Create(message.RatchetKey, message.Timestamp, message.DeviceId).Serialize();
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => SealedWorld.Instance.DecryptionErrorMessages;
}
