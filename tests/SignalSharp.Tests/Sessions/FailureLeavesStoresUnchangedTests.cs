using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// "Nothing is committed unless a message authenticates": every failing call leaves the session, identity
/// and pre-key stores byte-for-byte as they were (compared through their serialized contents).
/// </summary>
public class FailureLeavesStoresUnchangedTests
{
    private static async Task AssertUnchangedAsync<TException>(TestParty owner, TestParty remote, Func<Task> failing, params uint[] preKeyIds)
        where TException : Exception
    {
        var before = await owner.SnapshotAsync(remote, preKeyIds);
        await Assert.ThrowsAnyAsync<TException>(failing);
        Assert.Equal(before, await owner.SnapshotAsync(remote, preKeyIds));
    }

    [Fact]
    public async Task TamperedPreKeyMessageChangesNothingOnTheResponder()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync();
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var bytes = (await alice.EncryptAsync(bob, "x")).Serialize();
        var inner = PreKeySignalMessage.Deserialize(bytes).Message.Serialize();

        // Flip a bit in the last byte of the inner message's MAC.
        int macEnd = bytes.AsSpan().IndexOf(inner) + inner.Length - 1;
        bytes[macEnd] ^= 1;
        await AssertUnchangedAsync<InvalidMessageException>(bob, alice, () => bob.DecryptBytesAsync(alice, CiphertextMessageType.PreKey, bytes), bundle.PreKeyId!.Value);
        bytes[macEnd] ^= 1;
        Assert.Equal("x", System.Text.Encoding.UTF8.GetString(await bob.DecryptBytesAsync(alice, CiphertextMessageType.PreKey, bytes)));
    }

    [Fact]
    public async Task TamperedSignalMessageChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        var reply = (await bob.EncryptAsync(alice, "y")).Serialize();
        for (int position = 1; position < reply.Length; position += 7)
        {
            var bad = (byte[])reply.Clone();
            bad[position] ^= 0x10;
            var before = await alice.SnapshotAsync(bob);
            try
            {
                await alice.DecryptBytesAsync(bob, CiphertextMessageType.Whisper, bad);
                Assert.Fail("a tampered message decrypted");
            }
            catch (SignalProtocolException)
            {
            }

            Assert.Equal(before, await alice.SnapshotAsync(bob));
        }

        Assert.Equal("y", System.Text.Encoding.UTF8.GetString(await alice.DecryptBytesAsync(bob, CiphertextMessageType.Whisper, reply)));
    }

    [Fact]
    public async Task DuplicateChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        var reply = await bob.EncryptAsync(alice, "y");
        await alice.DecryptAsync(bob, reply);
        await AssertUnchangedAsync<DuplicateMessageException>(alice, bob, () => alice.DecryptAsync(bob, reply));
    }

    [Fact]
    public async Task UntrustedSenderChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        var reply = await bob.EncryptAsync(alice, "y");

        var other = new TestParty("mallory");
        await alice.Store.SaveIdentityAsync(bob.Address, other.Identity.IdentityKey);
        await AssertUnchangedAsync<UntrustedIdentityException>(alice, bob, () => alice.DecryptAsync(bob, reply));
        await AssertUnchangedAsync<UntrustedIdentityException>(alice, bob, () => alice.EncryptAsync(bob, "z"));
    }

    [Fact]
    public async Task UntrustedPreKeySenderChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync();
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var m = await alice.EncryptAsync(bob, "x");
        await bob.Store.SaveIdentityAsync(alice.Address, new TestParty("mallory").Identity.IdentityKey);
        await AssertUnchangedAsync<UntrustedIdentityException>(bob, alice, () => bob.DecryptAsync(alice, m), bundle.PreKeyId!.Value);
    }

    [Fact]
    public async Task MissingKeyIdChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync();
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var m = await alice.EncryptAsync(bob, "x");
        await bob.Store.RemovePreKeyAsync(bundle.PreKeyId!.Value);
        await AssertUnchangedAsync<InvalidKeyIdException>(bob, alice, () => bob.DecryptAsync(alice, m), bundle.PreKeyId.Value);
    }

    [Fact]
    public async Task RemovedSignedPreKeyIsAMissingKeyIdAndChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync();
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var m = await alice.EncryptAsync(bob, "x");
        await bob.Store.RemoveSignedPreKeyAsync(bundle.SignedPreKeyId);
        await bob.Store.RemoveSignedPreKeyAsync(bundle.SignedPreKeyId);
        Assert.Null(await bob.Store.LoadSignedPreKeyAsync(bundle.SignedPreKeyId));
        await AssertUnchangedAsync<InvalidKeyIdException>(bob, alice, () => bob.DecryptAsync(alice, m), bundle.PreKeyId!.Value);
    }

    [Fact]
    public async Task RemovedLastResortKyberKeyIsAMissingKeyIdAndChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync(lastResortKyber: true);
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var m = await alice.EncryptAsync(bob, "x");
        await bob.Store.RemoveKyberPreKeyAsync(bundle.KyberPreKeyId);
        await bob.Store.RemoveKyberPreKeyAsync(bundle.KyberPreKeyId);
        Assert.Null(await bob.Store.LoadKyberPreKeyAsync(bundle.KyberPreKeyId));
        await AssertUnchangedAsync<InvalidKeyIdException>(bob, alice, () => bob.DecryptAsync(alice, m), bundle.PreKeyId!.Value);
    }

    [Fact]
    public async Task MessageForAnotherSessionChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var carol = new TestParty("carol");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        await carol.StartSessionWithAsync(bob);
        var fromCarol = (PreKeySignalMessage)await carol.EncryptAsync(bob, "c");
        // Bob receives Carol's inner message as if it came from Alice's session.
        await AssertUnchangedAsync<InvalidMessageException>(bob, alice, () => bob.CipherFor(alice).DecryptAsync(fromCarol.Message).AsTask());
    }

    [Fact]
    public async Task LowOrderRatchetKeyIsAnInvalidMessageAndChangesNothing()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        var bytes = (await bob.EncryptAsync(alice, "y")).Serialize();

        // Field 1 (ratchet key) starts right after the version byte: 0x0A 0x21 0x05 then 32 key bytes.
        Assert.Equal([0x0A, 0x21, 0x05], bytes[1..4]);
        Array.Clear(bytes, 4, 32);
        await AssertUnchangedAsync<InvalidMessageException>(alice, bob, () => alice.DecryptBytesAsync(bob, CiphertextMessageType.Whisper, bytes));
    }
}
