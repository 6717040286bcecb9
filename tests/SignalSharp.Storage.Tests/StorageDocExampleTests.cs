using System.Security.Cryptography;
using SignalSharp;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>docs/storage.md's example, kept compiling and true (file names moved to a temp folder).</summary>
public sealed class StorageDocExampleTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task StorageDocExampleCreatesReopensBacksUpAndRestores()
    {
        string aliceDb = _db.Sibling("alice.db"), backupFile = _db.Sibling("alice.backup"), restoredDb = _db.Sibling("restored.db");
        byte[] storageKey = RandomNumberGenerator.GetBytes(SqliteSignalProtocolStore.StorageKeySize);
        byte[] newStorageKey = RandomNumberGenerator.GetBytes(SqliteSignalProtocolStore.StorageKeySize);
        byte[] signedBytes;

        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = SqliteSignalProtocolStore.Create(aliceDb, storageKey, identity, KeyHelper.GenerateRegistrationId()))
        {
            using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await store.StoreSignedPreKeyAsync(1, signed);
            signedBytes = signed.Serialize();

            using var secret = BackupSecret.FromPassphrase("a long passphrase the user chose");
            await using var file = File.Create(backupFile);
            await store.ExportBackupAsync(file, secret);
        }

        using (var reopened = SqliteSignalProtocolStore.Open(aliceDb, storageKey))
        {
            using var signedAgain = await reopened.LoadSignedPreKeyAsync(1);
            Assert.Equal(signedBytes, signedAgain!.Serialize());
        }

        using (var secret = BackupSecret.FromPassphrase("a long passphrase the user chose"))
        await using (var file = File.OpenRead(backupFile))
        using (var restored = await SqliteSignalProtocolStore.ImportBackupAsync(file, secret, restoredDb, newStorageKey))
        {
            using var signedRestored = await restored.LoadSignedPreKeyAsync(1);
            Assert.Equal(signedBytes, signedRestored!.Serialize());
        }
    }
}
