using System.Text;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Storage.Backup;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// A backup restored while the original device kept sending must never repeat a message key: restored sessions are
/// retired for sending, so the restored device starts a new session, and it still reads what the peer sends.
/// </summary>
public sealed class RestoredSessionTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ARestoredDeviceNeverReusesAMessageKeyOfTheOriginalAndThePeerReadsIt()
    {
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
        using var original = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), aliceIdentity, 1);
        var alice = new Device(new ProtocolAddress("alice", 1), original);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        await alice.StartSessionWithAsync(bob);
        Assert.Equal("one", await alice.SendAsync(bob, "one"));
        Assert.Equal("two", await bob.SendAsync(alice, "two"));

        var backup = new MemoryStream();
        using var secret = BackupSecret.FromKey(new byte[BackupSecret.KeySize]);
        await original.ExportBackupAsync(backup, secret);

        // The original keeps talking after the backup.
        var sentByOriginal = new List<SignalMessage>();
        for (int i = 0; i < 3; i++)
        {
            var message = SignalMessage.Deserialize((await alice.EncryptAsync(bob, $"after {i}")).Serialize());
            Assert.Equal($"after {i}", await bob.DecryptAsync(alice, message));
            sentByOriginal.Add(message);
        }

        var inFlightFromBob = await bob.EncryptAsync(alice, "to whoever holds the old session");

        backup.Position = 0;
        using var restoredStore = await SqliteSignalProtocolStore.ImportBackupAsync(backup, secret, _db.Sibling("restored.db"), TempDatabase.NewKey());
        var restored = new Device(alice.Address, restoredStore, firstKeyId: 100);
        var restoredCipher = new SessionCipher(restoredStore, restored.Address, bob.Address);
        Assert.False(await restoredCipher.HasUsableSessionAsync());
        await Assert.ThrowsAsync<NoSessionException>(async () => await restoredCipher.EncryptAsync(Encoding.UTF8.GetBytes("after 0")));

        // It still reads the old session, without making it current again.
        Assert.Equal("to whoever holds the old session", await restored.DecryptAsync(bob, inFlightFromBob));
        Assert.False(await restoredCipher.HasUsableSessionAsync());

        // The application's answer to NoSessionException: a new session from a fresh bundle.
        await restored.StartSessionWithAsync(bob);
        var sentByRestored = new List<CiphertextMessage>();
        for (int i = 0; i < 3; i++)
        {
            var message = await restored.EncryptAsync(bob, $"after {i}");
            Assert.Equal($"after {i}", await bob.DecryptAsync(restored, message));
            sentByRestored.Add(message);
        }

        var originalCiphertexts = sentByOriginal.Select(m => Convert.ToHexString(m.Ciphertext)).ToHashSet();
        var originalPositions = sentByOriginal.Select(m => (Convert.ToHexString(m.RatchetKey.Serialize()), m.Counter)).ToHashSet();
        foreach (var message in sentByRestored)
        {
            var inner = message is PreKeySignalMessage preKey ? preKey.Message : SignalMessage.Deserialize(message.Serialize());
            Assert.DoesNotContain(Convert.ToHexString(inner.Ciphertext), originalCiphertexts);
            Assert.DoesNotContain((Convert.ToHexString(inner.RatchetKey.Serialize()), inner.Counter), originalPositions);
        }

        // And the conversation goes on both ways from the restored device.
        Assert.Equal("reply", await bob.SendAsync(restored, "reply"));
        Assert.Equal("again", await restored.SendAsync(bob, "again"));
    }

    [Fact]
    public async Task ARestoredDeviceStartsANewSenderKeyChainInsteadOfReusingTheOriginals()
    {
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
        using var original = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), aliceIdentity, 1);
        var alice = new ProtocolAddress("alice", 1);
        var group = Guid.NewGuid();
        var member = new GroupCipher(new InMemorySenderKeyStore());
        var first = await new GroupCipher(original).CreateDistributionMessageAsync(alice, group);
        await member.ProcessDistributionMessageAsync(alice, first);

        var backup = new MemoryStream();
        using var secret = BackupSecret.FromKey(new byte[BackupSecret.KeySize]);
        await original.ExportBackupAsync(backup, secret);
        var sentByOriginal = await new GroupCipher(original).EncryptAsync(alice, group, Encoding.UTF8.GetBytes("after the backup"));
        Assert.Equal("after the backup", Encoding.UTF8.GetString(await member.DecryptAsync(alice, sentByOriginal.Serialize())));

        backup.Position = 0;
        using var restored = await SqliteSignalProtocolStore.ImportBackupAsync(backup, secret, _db.Sibling("restored.db"), TempDatabase.NewKey());
        var restoredCipher = new GroupCipher(restored);
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await restoredCipher.EncryptAsync(alice, group, Encoding.UTF8.GetBytes("x")));

        var second = await restoredCipher.CreateDistributionMessageAsync(alice, group);
        Assert.NotEqual(first.ChainId, second.ChainId);
        await member.ProcessDistributionMessageAsync(alice, second);
        var sentByRestored = await restoredCipher.EncryptAsync(alice, group, Encoding.UTF8.GetBytes("after the backup"));
        Assert.NotEqual(Convert.ToHexString(sentByOriginal.Serialize()), Convert.ToHexString(sentByRestored.Serialize()));
        Assert.Equal("after the backup", Encoding.UTF8.GetString(await member.DecryptAsync(alice, sentByRestored.Serialize())));
    }
}
