using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>The three ways to get a store (open, create, open-or-create) and the errors they name the file in.</summary>
public sealed class StoreEntryPointTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly byte[] _key = TempDatabase.NewKey();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task OpenOrCreateCreatesOnceAndThenOpensTheSameStore()
    {
        int created = 0;
        (IdentityKeyPair, uint) NewIdentity()
        {
            created++;
            return (KeyHelper.GenerateIdentityKeyPair(), 4242);
        }

        byte[] identityKey;
        await using (var first = await SqliteSignalProtocolStore.OpenOrCreateAsync(_db.Path, _key, NewIdentity))
        {
            Assert.Equal(4242u, await first.GetLocalRegistrationIdAsync());
            using var identity = await first.GetIdentityKeyPairAsync();
            identityKey = identity.IdentityKey.Serialize();
        }

        await using (var second = await SqliteSignalProtocolStore.OpenOrCreateAsync(_db.Path, _key, NewIdentity))
        {
            using var identity = await second.GetIdentityKeyPairAsync();
            Assert.Equal(identityKey, identity.IdentityKey.Serialize());
        }

        Assert.Equal(1, created);
    }

    [Fact]
    public async Task OpenNeverCreatesAFileAndCreateNeverTouchesAnExistingOne()
    {
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => SqliteSignalProtocolStore.OpenAsync(_db.Path, _key));
        Assert.Equal(_db.Path, missing.FileName);
        Assert.StartsWith(_db.Path + ": ", missing.Message);
        Assert.False(File.Exists(_db.Path));

        File.WriteAllText(_db.Path, "not ours");
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        var exists = await Assert.ThrowsAsync<IOException>(() => SqliteSignalProtocolStore.CreateAsync(_db.Path, _key, identity, 1));
        Assert.StartsWith(_db.Path + ": ", exists.Message);
        Assert.Equal("not ours", File.ReadAllText(_db.Path));
        Assert.False(File.Exists(_db.Path + ".creating"));
    }

    [Fact]
    public async Task StorageErrorsNameTheFileOnceWithoutRepeatingTheCause()
    {
        using (var identity = KeyHelper.GenerateIdentityKeyPair())
        {
            (await SqliteSignalProtocolStore.CreateAsync(_db.Path, _key, identity, 1)).Dispose();
        }

        var wrongKey = await Assert.ThrowsAsync<StorageCorruptedException>(() => SqliteSignalProtocolStore.OpenAsync(_db.Path, TempDatabase.NewKey()));
        Assert.Equal(_db.Path, wrongKey.DatabasePath);
        Assert.Equal($"{_db.Path}: wrong storage key, or the database's key check was tampered with", wrongKey.Message);

        string garbage = _db.Sibling("garbage.db");
        File.WriteAllBytes(garbage, new byte[5000]);
        var notSqlite = await Assert.ThrowsAnyAsync<StorageException>(() => SqliteSignalProtocolStore.OpenAsync(garbage, _key));
        Assert.Equal($"{garbage}: SQLite Error 26: 'file is not a database'.", notSqlite.Message);
    }
}
