using System.Buffers.Binary;
using SignalSharp;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// The unit of work costs no extra durable commit: every encrypt and every decrypt, the PreKey one included, is
/// exactly one SQLite commit (counted as commit frames in the write-ahead log; with <c>synchronous = FULL</c> each
/// is one fsync).
/// </summary>
public sealed class DurableCommitTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task EveryEncryptAndDecryptIsExactlyOneCommit()
    {
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
        using var store = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), aliceIdentity, 1);
        var alice = new Device(new ProtocolAddress("alice", 1), store);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        await bob.StartSessionWithAsync(alice);
        var preKeyMessage = await bob.EncryptAsync(alice, "first");

        int before = CommitFrames();
        Assert.Equal("first", await alice.DecryptAsync(bob, preKeyMessage));
        Assert.Equal(1, CommitFrames() - before);

        for (int i = 0; i < 10; i++)
        {
            before = CommitFrames();
            var sent = await alice.EncryptAsync(bob, "out");
            Assert.Equal(1, CommitFrames() - before);
            await bob.DecryptAsync(alice, sent);

            var received = await bob.EncryptAsync(alice, "in");
            before = CommitFrames();
            await alice.DecryptAsync(bob, received);
            Assert.Equal(1, CommitFrames() - before);
        }
    }

    /// <summary>Commit frames of the current write-ahead log (frames whose header records the database size after a commit).</summary>
    private int CommitFrames()
    {
        using var wal = new FileStream(_db.Path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[wal.Length];
        wal.ReadExactly(bytes);
        int pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8));
        var salts = bytes.AsSpan(16, 8);
        int commits = 0;
        for (int frame = 32; frame + 24 + pageSize <= bytes.Length; frame += 24 + pageSize)
        {
            // Frames left over from before the log was restarted carry older salts.
            if (!bytes.AsSpan(frame + 8, 8).SequenceEqual(salts))
            {
                break;
            }

            commits += BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(frame + 4)) != 0 ? 1 : 0;
        }

        return commits;
    }
}
