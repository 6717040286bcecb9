using SignalSharp.SealedSender;

namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// The relay-side splitter of a v2 SentMessage: parse, list every recipient's devices and registration ids, and cut
/// each recipient's ReceivedMessage; Bob's copy then goes through his receiving path, as a relay's output would.
/// </summary>
public sealed class SealedSenderMultiRecipientTarget : FuzzTarget
{
    public override string Name => "sealed-sender-multi-recipient";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var message = SealedSenderMultiRecipientMessage.Parse(input);
        _ = message.ExcludedRecipients.Count;
        byte[]? forBob = null;
        foreach (var recipient in message.Recipients)
        {
            if (recipient.DeviceIds.Count != recipient.RegistrationIds.Count)
            {
                throw new InvalidOperationException("devices and registration ids disagree");
            }

            byte[] received = message.MessageFor(recipient);
            if (recipient.ServiceId == SealedWorld.Bob.Name)
            {
                forBob = received;
            }
        }

        if (forBob is not null)
        {
            SealedWorld.Instance.BobDecrypts(forBob, input.Length);
        }
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => SealedWorld.Instance.V2SentMessages;
}
