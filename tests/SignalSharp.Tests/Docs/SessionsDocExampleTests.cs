using SignalSharp.PreKeys;
using SignalSharp.Stores;
using SignalSharp.Wire;
using Xunit;

namespace SignalSharp.Tests.Docs;

/// <summary>docs/sessions.md's complete example, kept compiling and true.</summary>
public class SessionsDocExampleTests
{
    [Fact]
    public async Task SessionsDocExampleExchangesBothWays()
    {
        var alice = new ProtocolAddress("alice", 1);
        var bob = new ProtocolAddress("bob", 1);
        var aliceStore = new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), KeyHelper.GenerateRegistrationId());
        var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
        var bobStore = new InMemorySignalProtocolStore(bobIdentity, KeyHelper.GenerateRegistrationId());

        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var oneTime = KeyHelper.GeneratePreKeys(startId: 1, count: 1)[0];
        var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, now);
        var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, now);
        await bobStore.StorePreKeyAsync(1, oneTime);
        await bobStore.StoreSignedPreKeyAsync(1, signed);
        await bobStore.StoreKyberPreKeyAsync(1, kyber);
        var bundle = new PreKeyBundle(await bobStore.GetLocalRegistrationIdAsync(), bob.DeviceId,
            1, oneTime.PublicKey, 1, signed.PublicKey, signed.Signature,
            bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);

        await new SessionBuilder(aliceStore, bob).ProcessPreKeyBundleAsync(bundle);
        var aliceCipher = new SessionCipher(aliceStore, alice, bob);
        CiphertextMessage first = await aliceCipher.EncryptAsync("hi Bob"u8.ToArray());

        var bobCipher = new SessionCipher(bobStore, bob, alice);
        byte[] text = first.Type == CiphertextMessageType.PreKey
            ? await bobCipher.DecryptAsync(PreKeySignalMessage.Deserialize(first.Serialize()))
            : await bobCipher.DecryptAsync(SignalMessage.Deserialize(first.Serialize()));
        CiphertextMessage reply = await bobCipher.EncryptAsync("hi Alice"u8.ToArray());
        byte[] answer = await aliceCipher.DecryptAsync(SignalMessage.Deserialize(reply.Serialize()));

        Assert.Equal("hi Bob"u8.ToArray(), text);
        Assert.Equal(CiphertextMessageType.Whisper, reply.Type);
        Assert.Equal("hi Alice"u8.ToArray(), answer);
        Assert.Null(await bobStore.LoadPreKeyAsync(1));
    }
}
