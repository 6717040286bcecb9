using SignalSharp;
using SignalSharp.SealedSender;
using Xunit;

namespace SignalSharp.Groups.Tests;

/// <summary>docs/sealed-sender.md's examples (v1, v2 with the server split and a group message, retry receipt), kept compiling and true.</summary>
public class SealedSenderDocExampleTests
{
    private static async Task<PreKeyBundle> PublishAsync(InMemorySignalProtocolStore store, IdentityKeyPair identity, int deviceId)
    {
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, 0);
        await store.StoreSignedPreKeyAsync(1, signed);
        await store.StoreKyberPreKeyAsync(1, kyber);
        return new PreKeyBundle(await store.GetLocalRegistrationIdAsync(), deviceId, null, null, 1, signed.PublicKey, signed.Signature, identity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
    }

    [Fact]
    public async Task SealedSenderDocExamplesWorkAsDescribed()
    {
        // Server side, once: a trust root (the app ships its public key) and a certified server key.
        using var trustRoot = EcPrivateKey.Generate();
        using var serverKey = EcPrivateKey.Generate();
        var serverCertificate = ServerCertificate.Create(trustRoot, keyId: 1, serverKey.PublicKey);

        var alice = new ProtocolAddress("9d0652a3-dcc3-4d11-975f-74d61598733f", 1);
        var bob = new ProtocolAddress("6838237d-02f6-4098-b110-698253d15961", 1);
        var aliceIdentity = IdentityKeyPair.Generate();
        var bobIdentity = IdentityKeyPair.Generate();
        var aliceStore = new InMemorySignalProtocolStore(aliceIdentity, 1);
        var bobStore = new InMemorySignalProtocolStore(bobIdentity, 2);
        await new SessionBuilder(aliceStore, bob).ProcessPreKeyBundleAsync(await PublishAsync(bobStore, bobIdentity, 1));

        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var aliceCertificate = SenderCertificate.Create(alice.Name, null, alice.DeviceId,
            aliceIdentity.IdentityKey, now + 86_400_000, serverCertificate, serverKey);

        byte[] envelope = await new SealedSessionCipher(aliceStore, alice)
            .EncryptAsync(bob, aliceCertificate, "hi Bob"u8.ToArray(), ContentHint.Resendable);

        SealedSenderDecryptionResult result = await new SealedSessionCipher(bobStore, bob)
            .DecryptAsync(envelope, trustRoot.PublicKey, timestamp: now);
        Assert.Equal(alice.Name, result.SenderUuid);
        Assert.Equal(1, result.SenderDeviceId);
        Assert.Equal("hi Bob"u8.ToArray(), result.Plaintext);

        // v2: Bob's laptop and Carol join; Alice's group message goes out in one upload.
        var bobLaptop = new ProtocolAddress(bob.Name, 2);
        var carol = new ProtocolAddress("0b6fa2d1-7d3b-4b8e-9a51-3a0e2e5d0c11", 1);
        var bobLaptopStore = new InMemorySignalProtocolStore(bobIdentity, 3);
        var carolIdentity = IdentityKeyPair.Generate();
        var carolStore = new InMemorySignalProtocolStore(carolIdentity, 4);
        await new SessionBuilder(aliceStore, bobLaptop).ProcessPreKeyBundleAsync(await PublishAsync(bobLaptopStore, bobIdentity, 2));
        await new SessionBuilder(aliceStore, carol).ProcessPreKeyBundleAsync(await PublishAsync(carolStore, carolIdentity, 1));
        var distribution = Guid.NewGuid();
        var aliceGroupCipher = new GroupCipher(new InMemorySenderKeyStore());
        var bobGroupCipher = new GroupCipher(new InMemorySenderKeyStore());
        await bobGroupCipher.ProcessDistributionMessageAsync(alice, await aliceGroupCipher.CreateDistributionMessageAsync(alice, distribution));
        var groupMessage = await aliceGroupCipher.EncryptAsync(alice, distribution, "hello group"u8.ToArray());
        byte[] groupId = [1, 2, 3];

        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, aliceCertificate,
            groupMessage.Serialize(), ContentHint.Resendable, groupId);
        byte[] upload = await new SealedSessionCipher(aliceStore, alice)
            .MultiRecipientEncryptAsync([bob, bobLaptop, carol], content);

        var parsed = SealedSenderMultiRecipientMessage.Parse(upload);
        Assert.Equal([bob.Name, carol.Name], parsed.Recipients.Select(r => r.ServiceId));
        Assert.Equal([1, 2], parsed.Recipients[0].DeviceIds);
        Assert.Equal([2, 3], parsed.Recipients[0].RegistrationIds);
        byte[] delivery = parsed.MessageFor(parsed.Recipients[0]);

        var opened = await new SealedSessionCipher(bobStore, bob).OpenAsync(delivery, [trustRoot.PublicKey], now);
        byte[] text = await bobGroupCipher.DecryptAsync(opened);
        Assert.Equal("hello group"u8.ToArray(), text);
        Assert.Equal(groupId, opened.GroupId);

        // Retry receipt: Bob failed to decrypt a message of Alice's current session.
        var lost = await new SessionCipher(aliceStore, alice, bob).EncryptAsync("lost"u8.ToArray());
        ulong envelopeTimestamp = now;
        var bobCertificate = SenderCertificate.Create(bob.Name, null, bob.DeviceId, bobIdentity.IdentityKey, now + 86_400_000, serverCertificate, serverKey);
        var receipt = DecryptionErrorMessage.ForOriginal(lost.Serialize(), lost.Type, envelopeTimestamp, (uint)alice.DeviceId);
        var plaintext = PlaintextContent.From(receipt);
        var sealedReceipt = new UnidentifiedSenderMessageContent(CiphertextMessageType.Plaintext, bobCertificate,
            plaintext.Serialize(), ContentHint.Implicit);
        await aliceStore.SaveIdentityAsync(bob, bobIdentity.IdentityKey);
        byte[] receiptEnvelope = await new SealedSessionCipher(bobStore, bob).EncryptAsync(alice, sealedReceipt);

        var usmc = await new SealedSessionCipher(aliceStore, alice).OpenAsync(receiptEnvelope, [trustRoot.PublicKey], now);
        var got = PlaintextContent.Deserialize(usmc.Content).DecryptionErrorMessage();
        var record = await aliceStore.LoadSessionAsync(bob);
        Assert.NotNull(got.RatchetKey);
        Assert.True(record!.CurrentRatchetKeyMatches(got.RatchetKey!));
        Assert.Equal(envelopeTimestamp, got.Timestamp);
        await new SessionCipher(aliceStore, alice, bob).ArchiveCurrentSessionAsync();
        Assert.False((await aliceStore.LoadSessionAsync(bob))!.CurrentRatchetKeyMatches(got.RatchetKey!));
    }
}
