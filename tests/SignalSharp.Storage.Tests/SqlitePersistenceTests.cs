using System.Text;
using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Storage.Rows;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>What only a durable store can do: survive reopening, keep secrets sealed, refuse wrong keys and tampering.</summary>
public sealed class SqlitePersistenceTests : IDisposable
{
    /// <summary>A replay-log row of a last-resort Kyber key.</summary>
    private const int KyberUseKind = (int)RecordKind.KyberPreKeyUse;

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task SessionSurvivesClosingAndReopeningAndKeepsTalking()
    {
        byte[] key = TempDatabase.NewKey();
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
        using var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
        var aliceStore = SqliteSignalProtocolStore.Create(_db.Path, key, aliceIdentity, 77);
        var alice = new Device(new ProtocolAddress("alice", 1), aliceStore);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(bobIdentity, 88));

        await alice.StartSessionWithAsync(bob);
        Assert.Equal("hello", await alice.SendAsync(bob, "hello"));
        Assert.Equal("hi", await bob.SendAsync(alice, "hi"));
        var inFlight = await bob.EncryptAsync(alice, "sent before the restart");
        await aliceStore.DisposeAsync();

        using (var reopened = SqliteSignalProtocolStore.Open(_db.Path, key))
        {
            alice.Store = reopened;
            Assert.Equal(77u, await reopened.GetLocalRegistrationIdAsync());
            Assert.Equal("sent before the restart", await alice.DecryptAsync(bob, inFlight));
            Assert.Equal("after restart", await alice.SendAsync(bob, "after restart"));
            Assert.Equal("reply", await bob.SendAsync(alice, "reply"));
        }

        // And a third time, with the ratchet having moved on while open.
        using var third = SqliteSignalProtocolStore.Open(_db.Path, key);
        alice.Store = third;
        Assert.Equal("third", await bob.SendAsync(alice, "third"));
        Assert.Equal("fourth", await alice.SendAsync(bob, "fourth"));
    }

    [Fact]
    public async Task KyberBookkeepingAndTrustSurviveReopening()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var oneTime = KeyHelper.GenerateKyberPreKeys(identity, 1, 1, 1)[0];
        using var lastResort = KeyHelper.GenerateLastResortKyberPreKey(identity, 2, 1);
        var baseKey = EcKeyPair.Generate().PublicKey;
        var bobKey = KeyHelper.GenerateIdentityKeyPair().IdentityKey;
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1))
        {
            await store.StoreKyberPreKeyAsync(1, oneTime);
            await store.StoreKyberPreKeyAsync(2, lastResort);
            await store.MarkKyberPreKeyUsedAsync(1, 1, baseKey);
            await store.MarkKyberPreKeyUsedAsync(2, 1, baseKey);
            await store.SaveIdentityAsync(new ProtocolAddress("bob", 1), bobKey);
        }

        using var reopened = SqliteSignalProtocolStore.Open(_db.Path, key);
        Assert.Null(await reopened.LoadKyberPreKeyAsync(1));
        await Assert.ThrowsAsync<InvalidMessageException>(() => reopened.MarkKyberPreKeyUsedAsync(2, 1, baseKey).AsTask());
        Assert.False(await reopened.IsTrustedIdentityAsync(new ProtocolAddress("bob", 2), KeyHelper.GenerateIdentityKeyPair().IdentityKey, Direction.Receiving));
        Assert.True(await reopened.IsTrustedIdentityAsync(new ProtocolAddress("bob", 2), bobKey, Direction.Receiving));
    }

    [Fact]
    public async Task RemovingAKyberKeyDeletesExactlyItsReplayLogRowsAndSurvivesReopening()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var retired = KeyHelper.GenerateLastResortKyberPreKey(identity, 2, 1);
        using var current = KeyHelper.GenerateLastResortKyberPreKey(identity, 3, 1);
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 1);
        var baseKey = EcKeyPair.Generate().PublicKey;
        var otherBaseKey = EcKeyPair.Generate().PublicKey;
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1))
        {
            await store.StoreSignedPreKeyAsync(1, signed);
            await store.StoreKyberPreKeyAsync(2, retired);
            await store.StoreKyberPreKeyAsync(3, current);
            await store.MarkKyberPreKeyUsedAsync(2, 1, baseKey);
            await store.MarkKyberPreKeyUsedAsync(2, 1, otherBaseKey);
            await store.MarkKyberPreKeyUsedAsync(3, 1, baseKey);
            Assert.Equal(3, RowCount(KyberUseKind));

            await store.RemoveKyberPreKeyAsync(2);
            await store.RemoveSignedPreKeyAsync(1);
            Assert.Equal(1, RowCount(KyberUseKind));
        }

        using var reopened = SqliteSignalProtocolStore.Open(_db.Path, key);
        Assert.Null(await reopened.LoadKyberPreKeyAsync(2));
        Assert.Null(await reopened.LoadSignedPreKeyAsync(1));
        Assert.NotNull(await reopened.LoadKyberPreKeyAsync(3));
        await Assert.ThrowsAsync<InvalidMessageException>(() => reopened.MarkKyberPreKeyUsedAsync(3, 1, baseKey).AsTask());
    }

    [Fact]
    public async Task TamperedReplayLogRowFailsTheKyberRemovalAndDeletesNothing()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var lastResort = KeyHelper.GenerateLastResortKyberPreKey(identity, 2, 1);
        var baseKey = EcKeyPair.Generate().PublicKey;
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1))
        {
            await store.StoreKyberPreKeyAsync(2, lastResort);
            await store.MarkKyberPreKeyUsedAsync(2, 1, baseKey);
        }

        FlipValueByte(kind: KyberUseKind, offset: 20);
        using var reopened = SqliteSignalProtocolStore.Open(_db.Path, key);
        await Assert.ThrowsAsync<StorageCorruptedException>(() => reopened.RemoveKyberPreKeyAsync(2).AsTask());
        Assert.NotNull(await reopened.LoadKyberPreKeyAsync(2));
        Assert.Equal(1, RowCount(KyberUseKind));
    }

    [Fact]
    public async Task RawFilesHoldNoKeyBytesAndNoNames()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var pre = KeyHelper.GeneratePreKeys(3, 1)[0];
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 4, 1);
        string secretName = "user-name-that-must-not-leak";
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, identity, 9))
        {
            var alice = new Device(new ProtocolAddress(secretName, 1), store, firstKeyId: 10);
            var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
            await store.StorePreKeyAsync(3, pre);
            await store.StoreSignedPreKeyAsync(4, signed);
            await bob.StartSessionWithAsync(alice);
            Assert.Equal("x", await bob.SendAsync(alice, "x"));
            await store.SaveIdentityAsync(new ProtocolAddress(secretName, 2), identity.IdentityKey);
        }

        byte[] raw = TempDatabase.RawBytes(_db.Path);
        Assert.True(raw.Length > 4096, "the database was written");
        AssertAbsent(raw, identity.PrivateKey.Serialize(), "identity private key");
        AssertAbsent(raw, identity.Serialize(), "identity key pair");
        AssertAbsent(raw, pre.KeyPair.PrivateKey.Serialize(), "pre-key private key");
        AssertAbsent(raw, signed.KeyPair.PrivateKey.Serialize(), "signed pre-key private key");
        AssertAbsent(raw, Encoding.UTF8.GetBytes(secretName), "user name");
        AssertAbsent(raw, key, "storage key");
    }

    [Fact]
    public void WrongStorageKeyIsRefusedOnOpen()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), identity, 1).Dispose();
        Assert.Throws<StorageCorruptedException>(() => SqliteSignalProtocolStore.Open(_db.Path, TempDatabase.NewKey()));
    }

    [Fact]
    public async Task TamperedRowIsATypedError()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var pre = KeyHelper.GeneratePreKeys(3, 1)[0];
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1))
        {
            await store.StorePreKeyAsync(3, pre);
        }

        FlipValueByte(kind: 4, offset: 20);
        using var reopened = SqliteSignalProtocolStore.Open(_db.Path, key);
        await Assert.ThrowsAsync<StorageCorruptedException>(() => reopened.LoadPreKeyAsync(3).AsTask());
    }

    [Fact]
    public async Task ValueMovedToAnotherRowIsATypedError()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var one = KeyHelper.GeneratePreKeys(1, 1)[0];
        using var two = KeyHelper.GeneratePreKeys(2, 1)[0];
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1))
        {
            await store.StorePreKeyAsync(1, one);
            await store.StorePreKeyAsync(2, two);
        }

        // Swap the sealed values of pre-keys 1 and 2 (the rows' keys stay).
        byte[] first = RowValue(4, [0, 0, 0, 1]);
        byte[] second = RowValue(4, [0, 0, 0, 2]);
        SetRowValue(4, [0, 0, 0, 1], second);
        SetRowValue(4, [0, 0, 0, 2], first);
        using var reopened = SqliteSignalProtocolStore.Open(_db.Path, key);
        await Assert.ThrowsAsync<StorageCorruptedException>(() => reopened.LoadPreKeyAsync(1).AsTask());
        await Assert.ThrowsAsync<StorageCorruptedException>(() => reopened.LoadPreKeyAsync(2).AsTask());
    }

    [Fact]
    public async Task PlantedSessionRowDoesNotAddADevice()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        var alice = new Device(new ProtocolAddress("alice", 1), SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1));
        var bob = new Device(new ProtocolAddress("bob", 4), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        await alice.StartSessionWithAsync(bob);
        ((IDisposable)alice.Store).Dispose();

        // Copy bob.4's row as device 5: same sealed value, key says device 5.
        Execute("INSERT INTO records (kind, k, grp, value) SELECT kind, CAST(substr(k, 1, 32) || X'00000005' AS BLOB), grp, value FROM records WHERE kind = 3");
        using var reopened = SqliteSignalProtocolStore.Open(_db.Path, key);
        await Assert.ThrowsAsync<StorageCorruptedException>(() => reopened.GetDeviceIdsAsync("bob").AsTask());
        Assert.NotNull(await reopened.LoadSessionAsync(bob.Address));
    }

    [Fact]
    public async Task DisposedStoreRefusesCalls()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        var store = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), identity, 1);
        store.Dispose();
        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.LoadPreKeyAsync(1).AsTask());
    }

    [Fact]
    public void CreatingOverAnExistingStoreAndOpeningNothingAreRefused()
    {
        byte[] key = TempDatabase.NewKey();
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1).Dispose();
        Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Create(_db.Path, key, identity, 1));
        Assert.Throws<FileNotFoundException>(() => SqliteSignalProtocolStore.Open(_db.Sibling("missing.db"), key));
        Assert.Throws<ArgumentException>(() => SqliteSignalProtocolStore.Create(_db.Sibling("short.db"), new byte[16], identity, 1));

        File.WriteAllBytes(_db.Sibling("garbage.db"), Encoding.ASCII.GetBytes(new string('x', 5000)));
        Assert.ThrowsAny<StorageException>(() => SqliteSignalProtocolStore.Open(_db.Sibling("garbage.db"), key));

        // Another application's database is refused without gaining our tables.
        string foreign = _db.Sibling("foreign.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = foreign, Pooling = false }.ToString()))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE notes (text TEXT)";
            create.ExecuteNonQuery();
        }

        Assert.Throws<StorageCorruptedException>(() => SqliteSignalProtocolStore.Open(foreign, key));
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = foreign, Pooling = false }.ToString()))
        {
            connection.Open();
            using var tables = connection.CreateCommand();
            tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'";
            Assert.Equal("notes", tables.ExecuteScalar());
        }
    }

    [Fact]
    public async Task CancelledCallsDoNothing()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var store = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), identity, 1);
        using var pre = KeyHelper.GeneratePreKeys(1, 1)[0];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.StorePreKeyAsync(1, pre, new CancellationToken(true)).AsTask());
        Assert.Null(await store.LoadPreKeyAsync(1));
    }

    private static void AssertAbsent(byte[] haystack, byte[] needle, string what)
        => Assert.True(haystack.AsSpan().IndexOf(needle) < 0, $"the raw database contains the {what}");

    private void FlipValueByte(int kind, int offset)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT k, value FROM records WHERE kind = $kind";
        read.Parameters.AddWithValue("$kind", kind);
        byte[] rowKey, value;
        using (var reader = read.ExecuteReader())
        {
            Assert.True(reader.Read());
            rowKey = (byte[])reader.GetValue(0);
            value = (byte[])reader.GetValue(1);
        }

        value[offset] ^= 0x01;
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE records SET value = $v WHERE kind = $kind AND k = $k";
        write.Parameters.AddWithValue("$v", value);
        write.Parameters.AddWithValue("$kind", kind);
        write.Parameters.AddWithValue("$k", rowKey);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private byte[] RowValue(int kind, byte[] rowKey)
    {
        using var connection = Connect();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM records WHERE kind = $kind AND k = $k";
        read.Parameters.AddWithValue("$kind", kind);
        read.Parameters.AddWithValue("$k", rowKey);
        return (byte[])read.ExecuteScalar()!;
    }

    private void SetRowValue(int kind, byte[] rowKey, byte[] value)
    {
        using var connection = Connect();
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE records SET value = $v WHERE kind = $kind AND k = $k";
        write.Parameters.AddWithValue("$v", value);
        write.Parameters.AddWithValue("$kind", kind);
        write.Parameters.AddWithValue("$k", rowKey);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    /// <summary>The rows of one record kind, counted over a second connection (WAL lets it read beside the store).</summary>
    private long RowCount(int kind)
    {
        using var connection = Connect();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM records WHERE kind = $kind";
        count.Parameters.AddWithValue("$kind", kind);
        return (long)count.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() > 0, "the tampering changed a row");
    }
}
