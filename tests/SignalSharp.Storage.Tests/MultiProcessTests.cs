using SignalSharp;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>Two processes with their own store objects on one SQLite file, encrypting to one address at the same time.</summary>
public sealed class MultiProcessTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task TwoProcessesEncryptingToOneAddressNeverReuseAChainPosition()
    {
        const int PerProcess = 60;
        byte[] key = TempDatabase.NewKey();
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        var alice = new Device(new ProtocolAddress("alice", 1), null!);
        using (var aliceIdentity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, aliceIdentity, 1))
        {
            alice.Store = store;
            await alice.StartSessionWithAsync(bob);
            Assert.Equal("hello", await alice.SendAsync(bob, "hello"));
            Assert.Equal("hi", await bob.SendAsync(alice, "hi"));
        }

        using var first = ChildProcess.Start("encrypt", _db.Path, Convert.ToHexString(key), PerProcess.ToString(), "first");
        using var second = ChildProcess.Start("encrypt", _db.Path, Convert.ToHexString(key), PerProcess.ToString(), "second");
        Assert.Equal("READY", await first.ReadLineAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal("READY", await second.ReadLineAsync(TimeSpan.FromMinutes(2)));
        first.Send("go");
        second.Send("go");
        var lines = await Task.WhenAll(ReadAllAsync(first), ReadAllAsync(second));
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromMinutes(2)));

        var messages = lines.SelectMany(l => l).Select(line => SignalMessage.Deserialize(Convert.FromBase64String(line.Split(' ')[3]))).ToList();
        Assert.Equal(2 * PerProcess, messages.Count);
        Assert.Equal(messages.Count, messages.Select(m => (Convert.ToHexString(m.RatchetKey.Serialize()), m.Counter)).Distinct().Count());
        var texts = new HashSet<string>();
        foreach (var message in messages.OrderBy(m => m.Counter))
        {
            Assert.True(texts.Add(await bob.DecryptAsync(alice, message)));
        }

        Assert.Equal(2 * PerProcess, texts.Count);
    }

    private static async Task<List<string>> ReadAllAsync(ChildProcess child)
    {
        var lines = new List<string>();
        while (await child.ReadLineAsync(TimeSpan.FromMinutes(2)) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
