using System.Buffers.Binary;
using SignalSharp;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// How much a steady operation writes: a session record larger than a page spills into overflow pages, and replacing
/// the whole row would free and reallocate them (free-list and header pages included) on every message. Rewriting
/// the value in place touches only the row's own pages.
/// </summary>
public sealed class WriteVolumeTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task SteadyEncryptsRewriteOnlyTheSessionRowsOwnPages()
    {
        using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
        using var store = await SqliteSignalProtocolStore.CreateAsync(_db.Path, TempDatabase.NewKey(), aliceIdentity, 1);
        var alice = new Device(new ProtocolAddress("alice", 1), store);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        await alice.StartSessionWithAsync(bob);
        Assert.Equal("hello", await alice.SendAsync(bob, "hello"));
        Assert.Equal("back", await bob.SendAsync(alice, "back"));
        Assert.True((await store.LoadSessionAsync(bob.Address))!.Serialize().Length > 4096, "the record must span overflow pages for this test");

        const int Messages = 20;
        int before = Frames();
        for (int i = 0; i < Messages; i++)
        {
            await alice.EncryptAsync(bob, "steady");
        }

        // The row's leaf page and its overflow page; a message whose record changed size may take a few more.
        double perMessage = (Frames() - before) / (double)Messages;
        Assert.True(perMessage <= 2.5, $"{perMessage:0.##} pages written per message");
    }

    /// <summary>Frames of the current write-ahead log (the pages written since it was last restarted).</summary>
    private int Frames()
    {
        using var wal = new FileStream(_db.Path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[wal.Length];
        wal.ReadExactly(bytes);
        int pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8));
        var salts = bytes.AsSpan(16, 8);
        int frames = 0;
        for (int frame = 32; frame + 24 + pageSize <= bytes.Length; frame += 24 + pageSize)
        {
            if (!bytes.AsSpan(frame + 8, 8).SequenceEqual(salts))
            {
                break;
            }

            frames++;
        }

        return frames;
    }
}
