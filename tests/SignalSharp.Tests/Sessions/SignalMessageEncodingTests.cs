using FsCheck.Xunit;
using Google.Protobuf;
using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// SignalMessage.Create writes the protobuf body by hand (no generated message object per sent message); these
/// tests pin its bytes to what the generated code for Wire/Protos/wire.proto writes for the same fields.
/// </summary>
public class SignalMessageEncodingTests
{
    private static readonly IdentityKey Sender = IdentityKeyPair.Generate().IdentityKey;
    private static readonly IdentityKey Receiver = IdentityKeyPair.Generate().IdentityKey;
    private static readonly EcPublicKey Ratchet = EcKeyPair.Generate().PublicKey;
    private static readonly byte[] MacKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData(0u, 0u, 16, 0, false)]
    [InlineData(1u, 0u, 80, 38, false)]
    [InlineData(127u, 128u, 1040, 4, true)]
    [InlineData(16_383u, 16_384u, 16, 38, true)]
    [InlineData(uint.MaxValue, uint.MaxValue, 20_000, 200, true)]
    public void HandWrittenBodyEqualsTheGeneratedEncoding(uint counter, uint previousCounter, int ciphertextLength, int pqLength, bool withAddresses)
        => AssertSameAsGenerated(counter, previousCounter, Filled(ciphertextLength, 1), Filled(pqLength, 2), withAddresses ? Filled(34, 3) : null);

    [Property(MaxTest = 200)]
    public bool HandWrittenBodyEqualsTheGeneratedEncodingForAnyFields(uint counter, uint previousCounter, byte[] ciphertext, byte[] pq, bool withAddresses)
    {
        AssertSameAsGenerated(counter, previousCounter, ciphertext ?? [], pq ?? [], withAddresses ? ciphertext ?? [] : null);
        return true;
    }

    private static void AssertSameAsGenerated(uint counter, uint previousCounter, byte[] ciphertext, byte[] pq, byte[]? addresses)
    {
        var message = SignalMessage.Create(4, MacKey, Ratchet, counter, previousCounter, ciphertext, Sender, Receiver, pq, addresses);
        var proto = new SignalSharp.Wire.Protos.SignalMessage
        {
            RatchetKey = ByteString.CopyFrom(Ratchet.Serialize()),
            Counter = counter,
            PreviousCounter = previousCounter,
            Ciphertext = ByteString.CopyFrom(ciphertext),
        };
        if (pq.Length > 0)
        {
            proto.PqRatchet = ByteString.CopyFrom(pq);
        }

        if (addresses is not null)
        {
            proto.Addresses = ByteString.CopyFrom(addresses);
        }

        var serialized = message.Serialize();
        Assert.Equal(proto.ToByteArray(), serialized[1..^SignalMessage.MacLength]);

        // And it parses back to the same fields and authenticates under the same key.
        var parsed = SignalMessage.Deserialize(serialized);
        Assert.Equal(counter, parsed.Counter);
        Assert.Equal(previousCounter, parsed.PreviousCounter);
        Assert.Equal(ciphertext, parsed.CiphertextSpan.ToArray());
        Assert.True(parsed.VerifyMac(Sender, Receiver, MacKey));
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
