using System.Text;
using Microsoft.Data.Sqlite;
using SignalSharp;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// One decrypt, one SQLite transaction: a write failing part-way (a full disk, simulated by a trigger that aborts the
/// Nth row write) leaves the database as it was, so the same message decrypts once the disk has room again. And two
/// store objects on one file never both advance the same chain position.
/// </summary>
public sealed class SqliteAtomicityTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task PreKeyMessageStillDecryptsAfterTheDiskFilledUpOnAnyWrite(int failingWrite)
    {
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
        using var store = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), aliceIdentity, 1);
        var alice = new Device(new ProtocolAddress("alice", 1), store);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        await bob.StartSessionWithAsync(alice);
        var first = await bob.EncryptAsync(alice, "first");

        FailRowWritesFrom(failingWrite);
        string? text = null;
        try
        {
            text = await alice.DecryptAsync(bob, first);
        }
        catch (StorageException)
        {
            // The disk was full: nothing may have been committed.
        }

        HealDisk();
        text ??= await alice.DecryptAsync(bob, first);
        Assert.Equal("first", text);
        await Assert.ThrowsAsync<DuplicateMessageException>(() => alice.DecryptAsync(bob, first));
        Assert.Equal("reply", await alice.SendAsync(bob, "reply"));
        Assert.Equal("more", await bob.SendAsync(alice, "more"));
    }

    [Fact]
    public async Task TwoHandlesOnOneFileNeverReuseAChainPosition()
    {
        byte[] key = TempDatabase.NewKey();
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
        using var first = SqliteSignalProtocolStore.Create(_db.Path, key, aliceIdentity, 1);
        var aliceAddress = new ProtocolAddress("alice", 1);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        var alice = new Device(aliceAddress, first);
        await alice.StartSessionWithAsync(bob);
        Assert.Equal("hello", await alice.SendAsync(bob, "hello"));
        Assert.Equal("hi", await bob.SendAsync(alice, "hi"));
        using var second = SqliteSignalProtocolStore.Open(_db.Path, key);

        const int PerHandle = 25;
        async Task<List<CiphertextMessage>> SendFrom(ISignalProtocolStore handle, string tag)
        {
            var cipher = new SessionCipher(handle, aliceAddress, bob.Address);
            var sent = new List<CiphertextMessage>();
            for (int i = 0; i < PerHandle; i++)
            {
                sent.Add(await cipher.EncryptAsync(Encoding.UTF8.GetBytes($"{tag} {i}")));
            }

            return sent;
        }

        var both = await Task.WhenAll(Task.Run(() => SendFrom(first, "first")), Task.Run(() => SendFrom(second, "second")));
        var messages = both.SelectMany(m => m).Select(m => SignalMessage.Deserialize(m.Serialize())).ToList();

        Assert.Equal(2 * PerHandle, messages.Select(m => (Convert.ToHexString(m.RatchetKey.Serialize()), m.Counter)).Distinct().Count());
        var texts = new HashSet<string>();
        foreach (var message in messages.OrderBy(m => m.Counter))
        {
            Assert.True(texts.Add(await bob.DecryptAsync(alice, message)));
        }

        Assert.Equal(2 * PerHandle, texts.Count);
    }

    [Fact]
    public async Task ACommitRemovingAOneTimePreKeyAnotherHandleUsedIsRefusedAndWritesNothing()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var first = SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1);
        using var second = SqliteSignalProtocolStore.Open(_db.Path, key);
        using (var pre = KeyHelper.GeneratePreKeys(5, 1)[0])
        {
            await first.StorePreKeyAsync(5, pre);
        }

        var carol = new ProtocolAddress("carol", 1);
        var loaded = await second.LoadSessionForUpdateAsync(carol);
        await first.RemovePreKeyAsync(5);

        var commit = new SessionCommit(carol, new SessionRecord(), loaded.Version)
        {
            Identity = KeyHelper.GenerateIdentityKeyPair().IdentityKey,
            RemovedPreKeyId = 5,
        };
        await Assert.ThrowsAsync<InvalidKeyIdException>(async () => await second.TryCommitAsync(commit));
        Assert.Null(await first.LoadSessionAsync(carol));
        Assert.Null(await first.GetIdentityAsync(carol));
    }

    /// <summary>From the Nth row insert or delete on, every one aborts with an error, as on a full disk.</summary>
    private void FailRowWritesFrom(int n)
    {
        Execute(
            "CREATE TABLE fault_budget (n INTEGER NOT NULL)",
            $"INSERT INTO fault_budget VALUES ({n})",
            "CREATE TRIGGER fault_insert BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'simulated disk full') WHERE (SELECT n FROM fault_budget) <= 1; UPDATE fault_budget SET n = n - 1; END",
            "CREATE TRIGGER fault_delete BEFORE DELETE ON records BEGIN SELECT RAISE(ABORT, 'simulated disk full') WHERE (SELECT n FROM fault_budget) <= 1; UPDATE fault_budget SET n = n - 1; END");
    }

    private void HealDisk() => Execute("DROP TRIGGER fault_insert", "DROP TRIGGER fault_delete", "DROP TABLE fault_budget");

    private void Execute(params string[] statements)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        foreach (string sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
