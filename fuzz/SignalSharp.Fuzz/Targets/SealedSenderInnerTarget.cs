using SignalSharp.SealedSender;

namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// The inside of an envelope: the input (after its first byte) is an UnidentifiedSenderMessageContent that Alice seals
/// to Bob, as v1 when the first byte is even and as a v2 ReceivedMessage when it is odd, and Bob opens and decrypts it.
/// The fuzzer cannot forge the envelope MACs, so this is how mutated contents reach what runs after them: the content
/// and certificate parsers, the check that the certificate's key is the one that sealed, certificate validation and
/// the inner decryption. Whoever holds a sender identity key can write exactly these bytes.
/// </summary>
public sealed class SealedSenderInnerTarget : FuzzTarget
{
    public override string Name => "sealed-sender-inner";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var world = FuzzWorld.Instance;
        var random = new SeededRandom(input.Length);
        var usmc = input[1..];
        byte[] envelope;
        if ((input[0] & 1) == 0)
        {
            envelope = SealedSenderV1.Seal(world.AliceIdentity, world.BobIdentity.IdentityKey, usmc, random);
        }
        else
        {
            var serviceId = new byte[ServiceIdBinary.FixedWidthSize];
            ServiceIdBinary.TryWriteFixedWidth(SealedWorld.Bob.Name, serviceId);
            var bob = new SealedSenderV2.Entry(serviceId, world.BobIdentity.IdentityKey, [((byte)SealedWorld.Bob.DeviceId, (ushort)world.BobRegistrationId)]);
            var sent = SealedSenderV2.EncryptSent(world.AliceIdentity, [bob], [], usmc, random);
            var parsed = SealedSenderMultiRecipientMessage.Parse(sent);
            envelope = parsed.MessageFor(parsed.Recipients[0]);
        }

        SealedWorld.Instance.BobDecrypts(envelope, input.Length);
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) =>
        SealedWorld.Instance.Contents.SelectMany(c => new[] { (byte[])[0, .. c], (byte[])[1, .. c] });
}
