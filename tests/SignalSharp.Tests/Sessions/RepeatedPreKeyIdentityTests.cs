using Google.Protobuf;
using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// A repeated PreKeySignalMessage reuses the session its base key created; its outer identity field is not
/// covered by the inner MAC on that path, so a rewritten identity must be refused rather than saved
/// (found in the security review: an app whose store trusts new keys on receipt would otherwise record an
/// attacker's key and show a false safety-number change).
/// </summary>
public class RepeatedPreKeyIdentityTests
{
    [Fact]
    public async Task RepeatedPreKeyMessageWithAnotherIdentityIsRefusedAndSavesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var first = await alice.EncryptAsync(bob, "one");
        var second = await alice.EncryptAsync(bob, "two");
        Assert.Equal(CiphertextMessageType.PreKey, second.Type);

        var bobCipher = new SessionCipher(bob.Store, new TrustOnReceiptIdentityStore(bob.Store), bob.Store, bob.Store, bob.Store, bob.Address, alice.Address, bob.Clock);
        Assert.Equal("one"u8.ToArray(), await bobCipher.DecryptAsync(PreKeySignalMessage.Deserialize(first.Serialize())));

        using var attacker = IdentityKeyPair.Generate();
        byte[] forged = WithIdentity(second.Serialize(), attacker.IdentityKey);
        string before = await bob.SnapshotAsync(alice);

        await Assert.ThrowsAsync<InvalidMessageException>(async () => await bobCipher.DecryptAsync(PreKeySignalMessage.Deserialize(forged)));

        Assert.Equal(before, await bob.SnapshotAsync(alice));
        Assert.Equal(alice.Identity.IdentityKey, await bob.Store.GetIdentityAsync(alice.Address));
        Assert.Equal("two"u8.ToArray(), await bobCipher.DecryptAsync(PreKeySignalMessage.Deserialize(second.Serialize())));
    }

    private static byte[] WithIdentity(byte[] preKeyMessage, IdentityKey identity)
    {
        var proto = Wire.Protos.PreKeySignalMessage.Parser.ParseFrom(preKeyMessage.AsSpan(1).ToArray());
        proto.IdentityKey = ByteString.CopyFrom(identity.Serialize());
        return [preKeyMessage[0], .. proto.ToByteArray()];
    }

    /// <summary>Like Signal apps: incoming messages are accepted from any identity key (the UI flags changes).</summary>
    private sealed class TrustOnReceiptIdentityStore(IIdentityKeyStore inner) : IIdentityKeyStore
    {
        public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => inner.GetIdentityKeyPairAsync(cancellationToken);

        public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => inner.GetLocalRegistrationIdAsync(cancellationToken);

        public ValueTask<bool> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default) => inner.SaveIdentityAsync(address, identityKey, cancellationToken);

        public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, Direction direction, CancellationToken cancellationToken = default)
            => direction == Direction.Receiving ? ValueTask.FromResult(true) : inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

        public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => inner.GetIdentityAsync(address, cancellationToken);
    }
}
