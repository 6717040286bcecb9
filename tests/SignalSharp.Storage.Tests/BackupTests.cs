using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Storage.Backup;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>Encrypted backup export and import: round trip, all-or-nothing import, rejection of wrong secrets and tampering.</summary>
public sealed class BackupTests : IDisposable
{
    /// <summary>Low on purpose: these tests exercise the format, not the KDF's cost (one test uses the real count).</summary>
    private const int TestIterations = 1000;

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task RestoredStoreUnderANewKeyContinuesTheConversation()
    {
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
        var original = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), aliceIdentity, 321);
        var alice = new Device(new ProtocolAddress("alice", 1), original);
        var bob = new Device(new ProtocolAddress("bob", 2), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 5));
        await alice.StartSessionWithAsync(bob);
        Assert.Equal("one", await alice.SendAsync(bob, "one"));
        Assert.Equal("two", await bob.SendAsync(alice, "two"));
        var group = Guid.NewGuid();
        await new GroupCipher(original).CreateDistributionMessageAsync(alice.Address, group);
        var fromBob = await new GroupCipher(new InMemorySenderKeyStore()).CreateDistributionMessageAsync(bob.Address, group);
        await new GroupCipher(original).ProcessDistributionMessageAsync(bob.Address, fromBob);
        using var lastResort = KeyHelper.GenerateLastResortKyberPreKey(aliceIdentity, 900, 1);
        await original.StoreKyberPreKeyAsync(900, lastResort);
        var usedBaseKey = EcKeyPair.Generate().PublicKey;
        await original.MarkKyberPreKeyUsedAsync(900, 1, usedBaseKey);

        var backup = new MemoryStream();
        using (var secret = BackupSecret.FromPassphrase("correct horse battery staple"))
        {
            await original.ExportBackupAsync(backup, secret);
        }

        var inFlight = await bob.EncryptAsync(alice, "sent while restoring");
        await original.DisposeAsync();

        string restoredPath = _db.Sibling("restored.db");
        byte[] newKey = TempDatabase.NewKey();
        backup.Position = 0;
        using (var secret = BackupSecret.FromPassphrase("correct horse battery staple"))
        using (var restored = await SqliteSignalProtocolStore.ImportBackupAsync(backup, secret, restoredPath, newKey))
        {
            alice.Store = restored;
            Assert.Equal(321u, await restored.GetLocalRegistrationIdAsync());
            using (var identity = await restored.GetIdentityKeyPairAsync())
            {
                Assert.Equal(aliceIdentity.Serialize(), identity.Serialize());
            }

            Assert.Equal("sent while restoring", await alice.DecryptAsync(bob, inFlight));

            // Restored sessions are retired for sending (RestoredSessionTests): the next send needs a new session.
            await Assert.ThrowsAsync<NoSessionException>(() => alice.EncryptAsync(bob, "three"));
            await alice.StartSessionWithAsync(bob);
            Assert.Equal("three", await alice.SendAsync(bob, "three"));

            // The own sender-key chain is not restored: the next group send starts a new one.
            Assert.Null(await restored.LoadSenderKeyAsync(alice.Address, group));
            Assert.NotNull(await restored.LoadSenderKeyAsync(bob.Address, group));
            Assert.Equal([2], await restored.GetDeviceIdsAsync("bob"));
            await Assert.ThrowsAsync<InvalidMessageException>(() => restored.MarkKyberPreKeyUsedAsync(900, 1, usedBaseKey).AsTask());
        }

        using var reopened = SqliteSignalProtocolStore.Open(restoredPath, newKey);
        alice.Store = reopened;
        Assert.Equal("four", await bob.SendAsync(alice, "four"));
    }

    [Fact]
    public async Task RawKeyBackupRoundTripsAndIsNotAPassphraseBackup()
    {
        byte[] backupKey = TempDatabase.NewKey();
        byte[] file = await ExportAsync(BackupSecret.FromKey(backupKey));
        using (var restored = await ImportAsync(file, BackupSecret.FromKey(backupKey), "raw.db"))
        {
            Assert.Equal(11u, await restored.GetLocalRegistrationIdAsync());
        }

        await AssertRejectedAsync(file, BackupSecret.FromPassphrase("anything", TestIterations), "passphrase.db");
        await AssertRejectedAsync(file, BackupSecret.FromKey(TempDatabase.NewKey()), "otherkey.db");
    }

    [Fact]
    public async Task WrongPassphraseIsRejectedAndWritesNothing()
    {
        byte[] file = await ExportAsync(BackupSecret.FromPassphrase("right", TestIterations));
        await AssertRejectedAsync(file, BackupSecret.FromPassphrase("wrong", TestIterations), "wrong.db");
        await AssertRejectedAsync(file, BackupSecret.FromKey(TempDatabase.NewKey()), "key.db");
    }

    [Fact]
    public async Task EveryTamperedOrTruncatedFileIsRejectedAndWritesNothing()
    {
        byte[] file = await ExportAsync(BackupSecret.FromPassphrase("pw", TestIterations));
        // Each header field (magic, version, kdf, iterations, salt, nonce), the ciphertext and the tag.
        int[] offsets = [0, 4, 5, 9, 10, 26, 37, BackupFile.HeaderSize, file.Length / 2, file.Length - 1];
        foreach (int offset in offsets)
        {
            byte[] tampered = (byte[])file.Clone();
            tampered[offset] ^= 0x01;
            await AssertRejectedAsync(tampered, BackupSecret.FromPassphrase("pw", TestIterations), $"tampered{offset}.db");
        }

        foreach (int length in new[] { 0, 3, BackupFile.HeaderSize, file.Length - 1 })
        {
            await AssertRejectedAsync(file[..length], BackupSecret.FromPassphrase("pw", TestIterations), $"truncated{length}.db");
        }

        byte[] extended = [.. file, 0];
        await AssertRejectedAsync(extended, BackupSecret.FromPassphrase("pw", TestIterations), "extended.db");
    }

    [Fact]
    public async Task ImportNeverOverwritesAnExistingDatabase()
    {
        byte[] file = await ExportAsync(BackupSecret.FromKey(new byte[32]));
        using var secret = BackupSecret.FromKey(new byte[32]);
        await Assert.ThrowsAsync<IOException>(() => SqliteSignalProtocolStore.ImportBackupAsync(new MemoryStream(file), secret, _db.Path, TempDatabase.NewKey()));
    }

    [Fact]
    public void DefaultPassphraseIterationCountIsTheDocumentedOne()
    {
        // OWASP Password Storage Cheat Sheet: PBKDF2-HMAC-SHA256, 600,000 iterations.
        using var secret = BackupSecret.FromPassphrase("x");
        Assert.Equal(600_000, BackupSecret.PassphraseIterations);
        Assert.Equal(BackupSecret.PassphraseIterations, secret.Iterations);
        Assert.Throws<ArgumentException>(() => BackupSecret.FromPassphrase(string.Empty));
        Assert.Throws<ArgumentException>(() => BackupSecret.FromKey(new byte[31]));
    }

    private async Task<byte[]> ExportAsync(BackupSecret secret)
    {
        using (secret)
        {
            using var identity = KeyHelper.GenerateIdentityKeyPair();
            using var store = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), identity, 11);
            using var pre = KeyHelper.GeneratePreKeys(1, 1)[0];
            await store.StorePreKeyAsync(1, pre);
            await store.SaveIdentityAsync(new ProtocolAddress("bob", 1), KeyHelper.GenerateIdentityKeyPair().IdentityKey);
            var stream = new MemoryStream();
            await store.ExportBackupAsync(stream, secret);
            return stream.ToArray();
        }
    }

    private async Task<SqliteSignalProtocolStore> ImportAsync(byte[] file, BackupSecret secret, string name)
    {
        using (secret)
        {
            return await SqliteSignalProtocolStore.ImportBackupAsync(new MemoryStream(file), secret, _db.Sibling(name), TempDatabase.NewKey());
        }
    }

    private async Task AssertRejectedAsync(byte[] file, BackupSecret secret, string name)
    {
        await Assert.ThrowsAsync<InvalidBackupException>(() => ImportAsync(file, secret, name));
        Assert.False(File.Exists(_db.Sibling(name)), $"a failed import left {name} behind");
        Assert.False(File.Exists(_db.Sibling(name) + "-wal"), $"a failed import left {name}-wal behind");
    }
}
