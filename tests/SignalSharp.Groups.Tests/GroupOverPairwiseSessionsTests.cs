using System.Text;
using SignalSharp;
using Xunit;

namespace SignalSharp.Groups.Tests;

/// <summary>
/// The whole app-level flow with real SignalSharp 1:1 sessions: the GroupSession's delivery delegate wraps
/// SessionCipher, distribution messages travel as PQXDH/Double-Ratchet messages, and rotation on removal works
/// end to end.
/// </summary>
public class GroupOverPairwiseSessionsTests
{
    private sealed class Phone
    {
        private uint _nextId = 1;

        public Phone(string name)
        {
            Address = new ProtocolAddress(name, 1);
            var identity = KeyHelper.GenerateIdentityKeyPair();
            Store = new InMemorySignalProtocolStore(identity, KeyHelper.GenerateRegistrationId());
            Identity = identity;
            Groups = new GroupCipher(new InMemorySenderKeyStore());
        }

        public ProtocolAddress Address { get; }

        public IdentityKeyPair Identity { get; }

        public InMemorySignalProtocolStore Store { get; }

        public GroupCipher Groups { get; }

        public async Task<PreKeyBundle> PublishBundleAsync()
        {
            uint id = _nextId++;
            using var signed = KeyHelper.GenerateSignedPreKey(Identity, id, 1_700_000_000_000);
            using var kyber = KeyHelper.GenerateKyberPreKeys(Identity, id, 1, 1_700_000_000_000)[0];
            await Store.StoreSignedPreKeyAsync(id, signed);
            await Store.StoreKyberPreKeyAsync(id, kyber);
            var regId = await Store.GetLocalRegistrationIdAsync();
            return new PreKeyBundle(regId, Address.DeviceId, null, null, id, signed.PublicKey, signed.Signature, Identity.IdentityKey, id, kyber.PublicKey, kyber.Signature);
        }

        /// <summary>What the receiving app does with a pairwise message that carries a distribution message.</summary>
        public async Task ReceiveDistributionAsync(ProtocolAddress from, CiphertextMessage message)
        {
            var cipher = new SessionCipher(Store, Address, from);
            byte[] plaintext = message.Type == CiphertextMessageType.PreKey
                ? await cipher.DecryptAsync(PreKeySignalMessage.Deserialize(message.Serialize()))
                : await cipher.DecryptAsync(SignalMessage.Deserialize(message.Serialize()));
            await Groups.ProcessDistributionMessageAsync(from, plaintext);
        }
    }

    [Fact]
    public async Task DistributionOverRealSessionsAndRotationOnRemoval()
    {
        var alice = new Phone("alice");
        var bob = new Phone("bob");
        var carol = new Phone("carol");
        var phones = new[] { bob, carol }.ToDictionary(p => p.Address);
        foreach (var member in phones.Values)
        {
            await new SessionBuilder(alice.Store, member.Address).ProcessPreKeyBundleAsync(await member.PublishBundleAsync());
        }

        int pairwiseMessages = 0;
        DistributionMessageSender send = async (member, skdm, ct) =>
        {
            var ciphertext = await new SessionCipher(alice.Store, alice.Address, member).EncryptAsync(skdm, ct);
            pairwiseMessages++;
            await phones[member].ReceiveDistributionAsync(alice.Address, ciphertext);
        };

        var group = new GroupSession(alice.Groups, alice.Address, Guid.NewGuid(), phones.Keys, send);
        var first = (await group.EncryptAsync(Encoding.UTF8.GetBytes("hi all"))).Serialize();
        Assert.Equal(2, pairwiseMessages);
        Assert.Equal("hi all", Encoding.UTF8.GetString(await bob.Groups.DecryptAsync(alice.Address, first)));
        Assert.Equal("hi all", Encoding.UTF8.GetString(await carol.Groups.DecryptAsync(alice.Address, first)));

        await group.RemoveMembersAsync(new[] { carol.Address });
        Assert.Equal(3, pairwiseMessages);
        var second = (await group.EncryptAsync(Encoding.UTF8.GetBytes("without carol"))).Serialize();
        Assert.Equal("without carol", Encoding.UTF8.GetString(await bob.Groups.DecryptAsync(alice.Address, second)));
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await carol.Groups.DecryptAsync(alice.Address, second));
    }
}
