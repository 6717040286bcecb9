using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Docs;

/// <summary>The README's session example, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeSessionExampleDeliversHello()
    {
        var aliceAddress = new ProtocolAddress("alice", 1);
        var bobAddress = new ProtocolAddress("bob", 1);
        var aliceStore = new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), KeyHelper.GenerateRegistrationId());
        var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
        var bobStore = new InMemorySignalProtocolStore(bobIdentity, KeyHelper.GenerateRegistrationId());

        var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await bobStore.StoreSignedPreKeyAsync(1, signed);
        await bobStore.StoreKyberPreKeyAsync(1, kyber);
        var bundle = new PreKeyBundle(await bobStore.GetLocalRegistrationIdAsync(), 1, null, null,
            1, signed.PublicKey, signed.Signature, bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);

        await new SessionBuilder(aliceStore, bobAddress).ProcessPreKeyBundleAsync(bundle);
        CiphertextMessage sent = await new SessionCipher(aliceStore, aliceAddress, bobAddress).EncryptAsync("hello"u8.ToArray());
        byte[] read = await new SessionCipher(bobStore, bobAddress, aliceAddress)
            .DecryptAsync(PreKeySignalMessage.Deserialize(sent.Serialize()));

        Assert.Equal(CiphertextMessageType.PreKey, sent.Type);
        Assert.Equal("hello"u8.ToArray(), read);
    }
}
