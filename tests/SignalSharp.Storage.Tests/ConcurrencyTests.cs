using SignalSharp;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>Concurrent calls on one SQLite store: independent conversations, and the atomic Kyber pre-key bookkeeping.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ConversationsWithDifferentPeersRunInParallel()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var store = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), identity, 1);
        var alice = new Device(new ProtocolAddress("alice", 1), store);
        var peers = Enumerable.Range(1, 6)
            .Select(i => new Device(new ProtocolAddress($"peer{i}", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), (uint)i)))
            .ToList();

        await Task.WhenAll(peers.Select(peer => Task.Run(async () =>
        {
            await peer.StartSessionWithAsync(alice);
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal($"{peer.Address} {i}", await peer.SendAsync(alice, $"{peer.Address} {i}"));
                Assert.Equal($"back {i}", await alice.SendAsync(peer, $"back {i}"));
            }
        })));

        foreach (var peer in peers)
        {
            Assert.Equal([1], await store.GetDeviceIdsAsync(peer.Address.Name));
        }
    }

    [Fact]
    public async Task ConcurrentUsesOfOneKyberKeySucceedExactlyOnce()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var store = SqliteSignalProtocolStore.Create(_db.Path, TempDatabase.NewKey(), identity, 1);
        using var oneTime = KeyHelper.GenerateKyberPreKeys(identity, 1, 1, 1)[0];
        using var lastResort = KeyHelper.GenerateLastResortKyberPreKey(identity, 2, 1);
        await store.StoreKyberPreKeyAsync(1, oneTime);
        await store.StoreKyberPreKeyAsync(2, lastResort);
        var baseKey = EcKeyPair.Generate().PublicKey;

        async Task<int> CountSuccesses(uint kyberId)
        {
            var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await store.MarkKyberPreKeyUsedAsync(kyberId, 7, baseKey);
                    return 1;
                }
                catch (SignalProtocolException e) when (e is InvalidKeyIdException or InvalidMessageException)
                {
                    return 0;
                }
            }));
            return (await Task.WhenAll(attempts)).Sum();
        }

        Assert.Equal(1, await CountSuccesses(1));
        Assert.Equal(1, await CountSuccesses(2));
    }
}
