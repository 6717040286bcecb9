using Google.Protobuf;
using Xunit;
using Proto = SignalSharp.Wire.Protos.PreKeySignalMessage;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// A PreKeySignalMessage is refused when it is parsed, not later at decryption, when it lacks a field the handshake
/// needs: version 4 (PQXDH) must carry both the Kyber pre-key id and the Kyber ciphertext.
/// </summary>
public class PreKeyMessageStrictnessTests
{
    private static async Task<byte[]> RealPreKeyMessageAsync()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        return (await alice.EncryptAsync(bob, "hello")).Serialize();
    }

    private static byte[] Rewrite(byte[] message, Action<Proto> change, byte? version = null)
    {
        var proto = Proto.Parser.ParseFrom(message.AsSpan(1));
        change(proto);
        return [version ?? message[0], .. proto.ToByteArray()];
    }

    [Fact]
    public async Task AVersion4MessageWithBothKyberFieldsParsesAndKeepsThem()
    {
        byte[] message = await RealPreKeyMessageAsync();
        var parsed = PreKeySignalMessage.Deserialize(message);
        Assert.Equal(4, parsed.MessageVersion);
        Assert.NotNull(parsed.KyberPreKeyId);
        Assert.NotEmpty(parsed.KyberCiphertext!);
    }

    [Fact]
    public async Task AVersion4MessageWithoutTheKyberPreKeyOrWithOnlyHalfOfItIsRefusedWhenParsed()
    {
        byte[] message = await RealPreKeyMessageAsync();

        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(Rewrite(message, p => { p.ClearKyberPreKeyId(); p.ClearKyberCiphertext(); })));
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(Rewrite(message, p => p.ClearKyberPreKeyId())));
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(Rewrite(message, p => p.ClearKyberCiphertext())));
    }

    [Fact]
    public async Task AVersion3MessageParsesWithoutKyberFieldsButNotWithOnlyOneOfThem()
    {
        byte[] message = await RealPreKeyMessageAsync();
        byte[] inner = Proto.Parser.ParseFrom(message.AsSpan(1)).Message.ToByteArray();
        inner[0] = 0x33;

        var v3 = PreKeySignalMessage.Deserialize(Rewrite(message, p => { p.ClearKyberPreKeyId(); p.ClearKyberCiphertext(); p.Message = ByteString.CopyFrom(inner); }, 0x33));
        Assert.Equal(3, v3.MessageVersion);
        Assert.Null(v3.KyberPreKeyId);
        Assert.Null(v3.KyberCiphertext);
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(Rewrite(message, p => { p.ClearKyberPreKeyId(); p.Message = ByteString.CopyFrom(inner); }, 0x33)));
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(Rewrite(message, p => { p.ClearKyberCiphertext(); p.Message = ByteString.CopyFrom(inner); }, 0x33)));
    }

    [Fact]
    public async Task AMessageWithoutItsSignedPreKeyIdOrOneTimePreKeyIdIsReadExactlyAsSent()
    {
        byte[] message = await RealPreKeyMessageAsync();

        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(Rewrite(message, p => p.ClearSignedPreKeyId())));
        var noOneTime = PreKeySignalMessage.Deserialize(Rewrite(message, p => p.ClearPreKeyId()));
        Assert.Null(noOneTime.PreKeyId);
        Assert.Equal(PreKeySignalMessage.Deserialize(message).SignedPreKeyId, noOneTime.SignedPreKeyId);
    }
}
