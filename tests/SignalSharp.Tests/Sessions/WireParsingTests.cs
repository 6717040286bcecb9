using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>Parsers take untrusted bytes: any input yields a message or one of the library's typed exceptions.</summary>
public class WireParsingTests
{
    [Fact]
    public void ShortAndMalformedInputsFailWithTypedErrors()
    {
        Assert.Throws<InvalidMessageException>(() => SignalMessage.Deserialize([]));
        Assert.Throws<InvalidMessageException>(() => SignalMessage.Deserialize(new byte[8]));
        Assert.Throws<LegacyMessageException>(() => SignalMessage.Deserialize(new byte[20]));
        var v5 = new byte[20];
        v5[0] = 0x54;
        Assert.Throws<InvalidVersionException>(() => SignalMessage.Deserialize(v5));
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize([]));
        Assert.Throws<LegacyMessageException>(() => PreKeySignalMessage.Deserialize([0x22, 0x08, 0x01]));
        // Version 4 with an empty body lacks every required field.
        Assert.Throws<InvalidMessageException>(() => SignalMessage.Deserialize([0x44, 0, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public async Task MutatedRealMessagesNeverThrowUntypedExceptions()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var preKey = (await alice.EncryptAsync(bob, "hello")).Serialize();
        var random = new Random(1234);
        for (int i = 0; i < 3000; i++)
        {
            var bytes = preKey.AsSpan(0, random.Next(preKey.Length + 1)).ToArray();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips && bytes.Length > 0; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                PreKeySignalMessage.Deserialize(bytes);
            }
            catch (SignalProtocolException)
            {
            }

            try
            {
                SignalMessage.Deserialize(bytes);
            }
            catch (SignalProtocolException)
            {
            }
        }
    }

    [Fact]
    public async Task SignalMessageFieldsRoundTripAndMacCoversTheReceivedBytes()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        var reply = (SignalMessage)await bob.EncryptAsync(alice, "y");
        var parsed = SignalMessage.Deserialize(reply.Serialize());
        Assert.Equal(4, parsed.MessageVersion);
        Assert.Equal(reply.Counter, parsed.Counter);
        Assert.Equal(reply.RatchetKey, parsed.RatchetKey);
        Assert.NotEmpty(parsed.PqRatchet);
        Assert.Null(parsed.Addresses);
        Assert.Null(reply.Addresses);
        Assert.Equal(reply.Ciphertext, parsed.Ciphertext);
        Assert.Equal(reply.PqRatchet, parsed.PqRatchet);
        Assert.Equal(reply.Serialize(), parsed.Serialize());
    }

    [Fact]
    public async Task AddressesAreSentBetweenServiceIdsAndVerified()
    {
        var alice = new TestParty("9d0652a3-dcc3-4d11-975f-74d61598733f");
        var bob = new TestParty("PNI:6838237d-02f6-4098-b110-698253d15961", 2);
        await alice.StartSessionWithAsync(bob);
        var m = (PreKeySignalMessage)await alice.EncryptAsync(bob, "x");
        var addresses = m.Message.Addresses!;
        Assert.Equal("009d0652a3dcc34d11975f74d61598733f01016838237d02f64098b110698253d1596102", Convert.ToHexStringLower(addresses));
        Assert.Equal("x", await bob.DecryptAsync(alice, m));

        // The same bytes delivered to a different device of Bob fail the address check.
        var bobOther = new TestParty(bob.Address.Name, 3, bob.Identity);
        var bundle = await bobOther.PublishBundleAsync();
        var carol = new TestParty("0a9d0652-dcc3-4d11-975f-74d61598733f");
        await carol.BuilderFor(bobOther).ProcessPreKeyBundleAsync(bundle);
        var forOther = (PreKeySignalMessage)await carol.EncryptAsync(bobOther, "y");
        var wrongDevice = new TestParty(bob.Address.Name, 4, bob.Identity);
        await wrongDevice.Store.StoreSignedPreKeyAsync(bundle.SignedPreKeyId, (await bobOther.Store.LoadSignedPreKeyAsync(bundle.SignedPreKeyId))!);
        await wrongDevice.Store.StoreKyberPreKeyAsync(bundle.KyberPreKeyId, (await bobOther.Store.LoadKyberPreKeyAsync(bundle.KyberPreKeyId))!);
        await wrongDevice.Store.StorePreKeyAsync(bundle.PreKeyId!.Value, (await bobOther.Store.LoadPreKeyAsync(bundle.PreKeyId.Value))!);
        await Assert.ThrowsAsync<InvalidMessageException>(() => wrongDevice.DecryptAsync(carol, forOther));
        Assert.Equal("y", await bobOther.DecryptAsync(carol, forOther));
    }
}
