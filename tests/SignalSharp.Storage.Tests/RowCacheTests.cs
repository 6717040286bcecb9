using Microsoft.Data.Sqlite;
using SignalSharp;
using SignalSharp.Storage.Rows;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// The store's cache of parsed session and identity rows: a handle that read or wrote a row must still see what
/// another handle on the same file committed later, and an operation must not rewrite rows it did not change.
/// </summary>
public sealed class RowCacheTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly byte[] _key = TempDatabase.NewKey();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AHandleThatCachedASessionSeesAnotherHandlesLaterWrite()
    {
        var (first, second, _, bob) = await TwoHandlesWithASessionAsync();
        using (first)
        using (second)
        {
            var cached = await first.LoadSessionAsync(bob.Address);
            Assert.NotNull(cached);

            var changed = (await second.LoadSessionAsync(bob.Address))!;
            changed.ArchiveCurrentState();
            await second.StoreSessionAsync(bob.Address, changed);

            var seen = await first.LoadSessionAsync(bob.Address);
            Assert.Equal(changed.Serialize(), seen!.Serialize());
            Assert.False(seen.HasCurrentState);
            Assert.False((await first.LoadSessionForUpdateAsync(bob.Address)).Record!.HasCurrentState);
        }
    }

    [Fact]
    public async Task AHandleThatCachedASessionSeesAnotherHandlesDeletion()
    {
        var (first, second, _, bob) = await TwoHandlesWithASessionAsync();
        using (first)
        using (second)
        {
            Assert.NotNull(await first.LoadSessionAsync(bob.Address));
            await second.DeleteSessionAsync(bob.Address);
            Assert.Null(await first.LoadSessionAsync(bob.Address));
            Assert.Null((await first.LoadSessionForUpdateAsync(bob.Address)).Record);
        }
    }

    [Fact]
    public async Task AHandleThatCachedAnIdentitySeesAnotherHandlesChange()
    {
        var (first, second, _, bob) = await TwoHandlesWithASessionAsync();
        using (first)
        using (second)
        {
            var original = await first.GetIdentityAsync(bob.Address);
            Assert.NotNull(original);
            Assert.True(await first.IsTrustedIdentityAsync(bob.Address, original, Direction.Sending));

            var replacement = KeyHelper.GenerateIdentityKeyPair().IdentityKey;
            Assert.True(await second.SaveIdentityAsync(bob.Address, replacement));

            Assert.Equal(replacement, await first.GetIdentityAsync(bob.Address));
            Assert.False(await first.IsTrustedIdentityAsync(bob.Address, original, Direction.Sending));
        }
    }

    [Fact]
    public async Task ACommitFromARecordLoadedBeforeAnotherHandlesCommitIsRefused()
    {
        var (first, second, alice, bob) = await TwoHandlesWithASessionAsync();
        using (first)
        using (second)
        {
            var stale = await first.LoadSessionForUpdateAsync(bob.Address);
            Assert.Equal("one", await new Device(alice.Address, second).SendAsync(bob, "one"));

            Assert.False(await first.TryCommitAsync(new SessionCommit(bob.Address, stale.Record!, stale.Version)));
            var fresh = await first.LoadSessionForUpdateAsync(bob.Address);
            Assert.False(fresh.Version.Span.SequenceEqual(stale.Version.Span));
            Assert.True(await first.TryCommitAsync(new SessionCommit(bob.Address, fresh.Record!, fresh.Version)));
            Assert.Equal("two", await new Device(alice.Address, first).SendAsync(bob, "two"));
        }
    }

    [Fact]
    public async Task EncryptingOnAnEstablishedSessionLeavesTheIdentityRowUntouched()
    {
        var (first, second, alice, bob) = await TwoHandlesWithASessionAsync();
        second.Dispose();
        using (first)
        {
            byte[] before = IdentityRowValue();
            var sender = new Device(alice.Address, first);
            Assert.Equal("one", await sender.SendAsync(bob, "one"));
            Assert.Equal("two", await sender.SendAsync(bob, "two"));
            Assert.Equal(before, IdentityRowValue());
        }
    }

    [Fact]
    public async Task ACommitWithANewIdentityStillWritesIt()
    {
        var (first, second, _, bob) = await TwoHandlesWithASessionAsync();
        second.Dispose();
        var replacement = KeyHelper.GenerateIdentityKeyPair().IdentityKey;
        using (first)
        {
            var loaded = await first.LoadSessionForUpdateAsync(bob.Address);
            Assert.True(await first.TryCommitAsync(new SessionCommit(bob.Address, loaded.Record!, loaded.Version) { Identity = replacement }));
            Assert.Equal(replacement, await first.GetIdentityAsync(bob.Address));
        }

        using var reopened = await SqliteSignalProtocolStore.OpenAsync(_db.Path, _key);
        Assert.Equal(replacement, await reopened.GetIdentityAsync(bob.Address));
    }

    [Fact]
    public async Task ACommitRewritesAnIdentityRowThatNoLongerOpens()
    {
        var (first, second, _, bob) = await TwoHandlesWithASessionAsync();
        second.Dispose();
        using (first)
        {
            var identity = await first.GetIdentityAsync(bob.Address);
            byte[] damaged = IdentityRowValue();
            damaged[^1] ^= 1;
            SetIdentityRowValue(damaged);
            await Assert.ThrowsAsync<StorageCorruptedException>(() => first.GetIdentityAsync(bob.Address).AsTask());

            var loaded = await first.LoadSessionForUpdateAsync(bob.Address);
            Assert.True(await first.TryCommitAsync(new SessionCommit(bob.Address, loaded.Record!, loaded.Version) { Identity = identity }));
            Assert.Equal(identity, await first.GetIdentityAsync(bob.Address));
        }
    }

    /// <summary>Two handles on one file whose owner (alice) has an answered session with bob (in memory).</summary>
    private async Task<(SqliteSignalProtocolStore First, SqliteSignalProtocolStore Second, Device Alice, Device Bob)> TwoHandlesWithASessionAsync()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        var first = await SqliteSignalProtocolStore.CreateAsync(_db.Path, _key, identity, 1);
        var second = await SqliteSignalProtocolStore.OpenAsync(_db.Path, _key);
        var alice = new Device(new ProtocolAddress("alice", 1), first);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        await alice.StartSessionWithAsync(bob);
        Assert.Equal("hello", await alice.SendAsync(bob, "hello"));
        Assert.Equal("back", await bob.SendAsync(alice, "back"));
        return (first, second, alice, bob);
    }

    private void SetIdentityRowValue(byte[] value)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE records SET value = $v WHERE kind = $kind";
        write.Parameters.AddWithValue("$v", value);
        write.Parameters.AddWithValue("$kind", (int)RecordKind.Identity);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private byte[] IdentityRowValue()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM records WHERE kind = $kind";
        read.Parameters.AddWithValue("$kind", (int)RecordKind.Identity);
        return (byte[])read.ExecuteScalar()!;
    }
}
