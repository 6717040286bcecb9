using System.Security.Cryptography;
using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>SessionCipher.DecryptAsync(type, body): the envelope form, with junk and wrong-type bodies rejected as InvalidMessage.</summary>
public class EnvelopeDecryptTests
{
    private static async Task<(TestParty Alice, TestParty Bob)> ConnectedAsync()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        return (alice, bob);
    }

    [Fact]
    public async Task BothKindsDecryptFromTypeAndBytes()
    {
        var (alice, bob) = await ConnectedAsync();
        var first = await alice.EncryptAsync(bob, "first");
        Assert.Equal(CiphertextMessageType.PreKey, first.Type);
        Assert.Equal("first"u8.ToArray(), await bob.CipherFor(alice).DecryptAsync(first.Type, first.Serialize()));

        var reply = await bob.EncryptAsync(alice, "reply");
        Assert.Equal(CiphertextMessageType.Whisper, reply.Type);
        Assert.Equal("reply"u8.ToArray(), await alice.CipherFor(bob).DecryptAsync(reply.Type, reply.Serialize()));
    }

    [Fact]
    public async Task AWrongTypeForTheBodyIsAnInvalidMessageAndChangesNothing()
    {
        var (alice, bob) = await ConnectedAsync();
        var first = await alice.EncryptAsync(bob, "first");
        var bobCipher = bob.CipherFor(alice);
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await bobCipher.DecryptAsync(CiphertextMessageType.Whisper, first.Serialize()));
        Assert.Null(await bob.Store.LoadSessionAsync(alice.Address));

        await bobCipher.DecryptAsync(first.Type, first.Serialize());
        var reply = await bob.EncryptAsync(alice, "reply");
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await alice.CipherFor(bob).DecryptAsync(CiphertextMessageType.PreKey, reply.Serialize()));
        Assert.Equal("reply"u8.ToArray(), await alice.CipherFor(bob).DecryptAsync(reply.Type, reply.Serialize()));
    }

    [Theory]
    [InlineData(CiphertextMessageType.SenderKey)]
    [InlineData(CiphertextMessageType.Plaintext)]
    [InlineData((CiphertextMessageType)99)]
    public async Task KindsThatAreNotSessionMessagesAreInvalidMessages(CiphertextMessageType type)
    {
        var (alice, bob) = await ConnectedAsync();
        var first = await alice.EncryptAsync(bob, "first");
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await bob.CipherFor(alice).DecryptAsync(type, first.Serialize()));
    }

    [Fact]
    public async Task JunkOfEveryLengthIsAnInvalidMessage()
    {
        var (alice, bob) = await ConnectedAsync();
        var first = await alice.EncryptAsync(bob, "first");
        await bob.CipherFor(alice).DecryptAsync(first.Type, first.Serialize());
        var cipher = bob.CipherFor(alice);
        for (int length = 0; length < 300; length += 7)
        {
            byte[] junk = RandomNumberGenerator.GetBytes(length);
            foreach (var type in new[] { CiphertextMessageType.Whisper, CiphertextMessageType.PreKey })
            {
                await Assert.ThrowsAnyAsync<InvalidMessageException>(async () => await cipher.DecryptAsync(type, junk));
            }
        }

        // A well-formed Whisper message with a flipped MAC byte is junk as well.
        var reply = (await bob.EncryptAsync(alice, "reply")).Serialize();
        reply[^1] ^= 1;
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await alice.CipherFor(bob).DecryptAsync(CiphertextMessageType.Whisper, reply));
    }
}
