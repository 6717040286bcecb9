using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Docs;

/// <summary>docs/sessions.md's complete example, kept compiling and true.</summary>
public class SessionsDocExampleTests
{
    [Fact]
    public async Task SessionsDocExampleExchangesBothWays()
    {
        var (alice, bob, aliceStore, bobIdentity, bobStore) = DocParties();

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

    [Fact]
    public async Task SessionsDocRotationExampleRetiresTheOldKeysAndKeepsTheSession()
    {
        // The complete example's setup, up to an established session.
        var (alice, bob, aliceStore, bobIdentity, bobStore) = DocParties();
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, now);
        var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, now);
        await bobStore.StoreSignedPreKeyAsync(1, signed);
        await bobStore.StoreKyberPreKeyAsync(1, kyber);
        var bundle = new PreKeyBundle(await bobStore.GetLocalRegistrationIdAsync(), bob.DeviceId,
            null, null, 1, signed.PublicKey, signed.Signature,
            bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
        await new SessionBuilder(aliceStore, bob).ProcessPreKeyBundleAsync(bundle);
        var aliceCipher = new SessionCipher(aliceStore, alice, bob);
        var bobCipher = new SessionCipher(bobStore, bob, alice);
        await bobCipher.DecryptAsync(PreKeySignalMessage.Deserialize((await aliceCipher.EncryptAsync("hi"u8.ToArray())).Serialize()));

        // A late initiator fetched the old bundle before the rotation.
        var carol = new ProtocolAddress("carol", 1);
        var carolStore = new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), KeyHelper.GenerateRegistrationId());
        await new SessionBuilder(carolStore, bob).ProcessPreKeyBundleAsync(bundle);
        var late = await new SessionCipher(carolStore, carol, bob).EncryptAsync("late"u8.ToArray());

        // docs/sessions.md, "Rotating and retiring pre-keys":
        ulong later = now + 2 * 24 * 60 * 60 * 1000;
        var nextSigned = KeyHelper.GenerateSignedPreKey(bobIdentity, 2, later);
        var nextKyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 2, later);
        await bobStore.StoreSignedPreKeyAsync(2, nextSigned);
        await bobStore.StoreKyberPreKeyAsync(2, nextKyber);
        await bobStore.RemoveSignedPreKeyAsync(1);
        await bobStore.RemoveKyberPreKeyAsync(1);

        Assert.Null(await bobStore.LoadSignedPreKeyAsync(1));
        Assert.Null(await bobStore.LoadKyberPreKeyAsync(1));
        var reply = await bobCipher.EncryptAsync("still here"u8.ToArray());
        Assert.Equal("still here"u8.ToArray(), await aliceCipher.DecryptAsync(SignalMessage.Deserialize(reply.Serialize())));
        await Assert.ThrowsAsync<InvalidKeyIdException>(
            () => new SessionCipher(bobStore, bob, carol).DecryptAsync(PreKeySignalMessage.Deserialize(late.Serialize())).AsTask());

        // The successors serve new initiators.
        var nextBundle = new PreKeyBundle(await bobStore.GetLocalRegistrationIdAsync(), bob.DeviceId,
            null, null, 2, nextSigned.PublicKey, nextSigned.Signature,
            bobIdentity.IdentityKey, 2, nextKyber.PublicKey, nextKyber.Signature);
        await new SessionBuilder(carolStore, bob).ProcessPreKeyBundleAsync(nextBundle);
        var fresh = await new SessionCipher(carolStore, carol, bob).EncryptAsync("fresh"u8.ToArray());
        Assert.Equal("fresh"u8.ToArray(), await new SessionCipher(bobStore, bob, carol).DecryptAsync(PreKeySignalMessage.Deserialize(fresh.Serialize())));
    }

    /// <summary>The two devices of docs/sessions.md's example: addresses, Alice's store, Bob's identity and store.</summary>
    private static (ProtocolAddress Alice, ProtocolAddress Bob, InMemorySignalProtocolStore AliceStore, SignalSharp.IdentityKeyPair BobIdentity, InMemorySignalProtocolStore BobStore) DocParties()
    {
        var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
        return (
            new ProtocolAddress("alice", 1),
            new ProtocolAddress("bob", 1),
            new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), KeyHelper.GenerateRegistrationId()),
            bobIdentity,
            new InMemorySignalProtocolStore(bobIdentity, KeyHelper.GenerateRegistrationId()));
    }
}
