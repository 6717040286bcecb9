using SignalSharp;
using SignalSharp.Tests.Sessions;
using Xunit;

namespace SignalSharp.Tests.SealedSender;

/// <summary>DecryptionErrorMessage, PlaintextContent and the ratchet-key check of the retry flow.</summary>
public class RetryReceiptTests
{
    [Fact]
    public async Task AReceiptNamesTheCurrentSendingRatchetKeyUntilTheNextDhStep()
    {
        var alice = new TestParty(Guid.NewGuid().ToString());
        var bob = new TestParty(Guid.NewGuid().ToString());
        await alice.StartSessionWithAsync(bob);
        var first = await alice.EncryptAsync(bob, "first");
        var receipt = DecryptionErrorMessage.ForOriginal(first.Serialize(), first.Type, 77, 1);
        Assert.True((await alice.Store.LoadSessionAsync(bob.Address))!.CurrentRatchetKeyMatches(receipt.RatchetKey!));

        await bob.DecryptAsync(alice, first);
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "reply"));
        Assert.False((await alice.Store.LoadSessionAsync(bob.Address))!.CurrentRatchetKeyMatches(receipt.RatchetKey!));
        var next = await alice.EncryptAsync(bob, "next");
        var fresh = DecryptionErrorMessage.ForOriginal(next.Serialize(), next.Type, 78, 1);
        var record = (await alice.Store.LoadSessionAsync(bob.Address))!;
        Assert.True(record.CurrentRatchetKeyMatches(fresh.RatchetKey!));
        record.ArchiveCurrentState();
        Assert.False(record.CurrentRatchetKeyMatches(fresh.RatchetKey!));
    }

    [Fact]
    public void PlaintextContentIsC0ContentField8PaddingMarkerAndReadsBackStrictly()
    {
        var key = EcKeyPair.Generate().PublicKey;
        var dem = DecryptionErrorMessage.Create(key, 1234, 3);
        byte[] bytes = PlaintextContent.From(dem).Serialize();
        byte[] demBytes = dem.Serialize();
        Assert.Equal([0xC0, 0x42, (byte)demBytes.Length, .. demBytes, 0x80], bytes);
        Assert.Equal([0x0a, 0x21], demBytes[..2]);

        var back = PlaintextContent.Deserialize(bytes).DecryptionErrorMessage();
        Assert.Equal(key, back.RatchetKey);
        Assert.Equal(1234UL, back.Timestamp);
        Assert.Equal(3u, back.DeviceId);
        Assert.Equal(CiphertextMessageType.Plaintext, PlaintextContent.Deserialize(bytes).Type);

        Assert.Contains("<193>", Assert.Throws<InvalidMessageException>(() => PlaintextContent.Deserialize([0xC1, .. bytes[1..]])).Message);
        Assert.Throws<InvalidMessageException>(() => PlaintextContent.Deserialize([]));
        Assert.Throws<InvalidMessageException>(() => PlaintextContent.Deserialize([.. bytes, 0]).DecryptionErrorMessage());
        Assert.Throws<InvalidMessageException>(() => PlaintextContent.ExtractDecryptionErrorMessage([0x0a, 0x00, 0x80]));
        // A receipt without its timestamp, or with a ratchet key that does not parse.
        Assert.Throws<InvalidMessageException>(() => DecryptionErrorMessage.Deserialize([0x18, 0x01]));
        Assert.Throws<InvalidMessageException>(() => DecryptionErrorMessage.Deserialize([0x0a, 0x01, 0x05, 0x10, 0x01]));
        Assert.Equal(0u, DecryptionErrorMessage.Deserialize([0x10, 0x05]).DeviceId);
    }

    [Fact]
    public void ForOriginalNeedsOnlyAParsableMessageAndRefusesPlaintext()
    {
        Assert.Throws<InvalidMessageException>(() => DecryptionErrorMessage.ForOriginal([1, 2, 3], CiphertextMessageType.Whisper, 1, 1));
        Assert.Throws<InvalidMessageException>(() => DecryptionErrorMessage.ForOriginal(new byte[10], CiphertextMessageType.SenderKey, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecryptionErrorMessage.ForOriginal([0xC0, 0x80], CiphertextMessageType.Plaintext, 1, 1));
        Assert.Null(DecryptionErrorMessage.ForOriginal([0x34, .. new byte[80]], CiphertextMessageType.SenderKey, 5, 2).RatchetKey);
    }
}
