using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SignalSharp;
using SignalSharp.Storage;

namespace SignalSharp.Benchmarks;

/// <summary>
/// What a durable store costs per message: alternating round trips (encrypt, decrypt, each way) between Alice and
/// Bob both on in-memory stores or both on <see cref="SqliteSignalProtocolStore"/> (temp files, WAL,
/// <see cref="SqliteDurability.Full"/> or <see cref="SqliteDurability.Normal"/>); and four conversations of one SQLite store run one after another or in parallel (the store
/// serializes on one connection, so this shows what the lock costs). The <c>-separate</c> stores run the same SQLite
/// store through the per-store calls (one commit per write, as before the unit of work) for a before/after in one run.
/// </summary>
public class StoreBenchmarks
{
    private const int Peers = 4;
    private readonly byte[] _plaintext = new byte[64];
    private readonly List<IDisposable> _owned = [];
    private string _folder = null!;
    private (ISignalProtocolStore Store, ProtocolAddress Address) _alice;
    private (ISignalProtocolStore Store, ProtocolAddress Address)[] _peers = null!;

    /// <summary>The store; a <c>-separate</c> suffix hides its unit of work (<see cref="SeparateCallsStore"/>).</summary>
    [Params("memory", "sqlite-full", "sqlite-normal", "sqlite-full-separate", "sqlite-normal-separate")]
    public string Store { get; set; } = "memory";

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "signalsharp-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _alice = (NewStore("alice"), new ProtocolAddress("alice", 1));
        _peers = new (ISignalProtocolStore, ProtocolAddress)[Peers];
        for (int i = 0; i < Peers; i++)
        {
            _peers[i] = (NewStore($"peer{i}"), new ProtocolAddress($"peer{i}", 1));
            await ConnectAsync(_alice, _peers[i], (uint)i + 1);
            await RoundTripAsync(_alice, _peers[i]);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task RoundTrip() => RoundTripAsync(_alice, _peers[0]);

    /// <summary>One message one way: Alice encrypts (one commit), Bob decrypts (one commit).</summary>
    [Benchmark]
    public Task OneWay() => SendAsync(_alice, _peers[0]);

    [Benchmark]
    public async Task FourConversationsSequential()
    {
        foreach (var peer in _peers)
        {
            await RoundTripAsync(_alice, peer);
        }
    }

    [Benchmark]
    public Task FourConversationsParallel() => Task.WhenAll(_peers.Select(peer => Task.Run(() => RoundTripAsync(_alice, peer))));

    private ISignalProtocolStore NewStore(string name)
    {
        var identity = KeyHelper.GenerateIdentityKeyPair();
        _owned.Add(identity);
        if (Store == "memory")
        {
            return new InMemorySignalProtocolStore(identity, 1);
        }

        var durability = Store.StartsWith("sqlite-normal", StringComparison.Ordinal) ? SqliteDurability.Normal : SqliteDurability.Full;
        var store = SqliteSignalProtocolStore.Create(Path.Combine(_folder, name + ".db"), RandomNumberGenerator.GetBytes(32), identity, 1, durability);
        _owned.Add(store);
        return Store.EndsWith("-separate", StringComparison.Ordinal) ? new SeparateCallsStore(store) : store;
    }

    private static async Task ConnectAsync((ISignalProtocolStore Store, ProtocolAddress Address) from, (ISignalProtocolStore Store, ProtocolAddress Address) to, uint id)
    {
        using var identity = await to.Store.GetIdentityKeyPairAsync();
        using var signed = KeyHelper.GenerateSignedPreKey(identity, id, 1);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, id, 1);
        await to.Store.StoreSignedPreKeyAsync(id, signed);
        await to.Store.StoreKyberPreKeyAsync(id, kyber);
        var bundle = new PreKeyBundle(1, to.Address.DeviceId, null, null, id, signed.PublicKey, signed.Signature, identity.IdentityKey, id, kyber.PublicKey, kyber.Signature);
        await new SessionBuilder(from.Store, to.Address).ProcessPreKeyBundleAsync(bundle);
    }

    private async Task RoundTripAsync((ISignalProtocolStore Store, ProtocolAddress Address) a, (ISignalProtocolStore Store, ProtocolAddress Address) b)
    {
        await SendAsync(a, b);
        await SendAsync(b, a);
    }

    private async Task SendAsync((ISignalProtocolStore Store, ProtocolAddress Address) from, (ISignalProtocolStore Store, ProtocolAddress Address) to)
    {
        var message = await new SessionCipher(from.Store, from.Address, to.Address).EncryptAsync(_plaintext);
        var receiver = new SessionCipher(to.Store, to.Address, from.Address);
        _ = message is PreKeySignalMessage pre
            ? await receiver.DecryptAsync(pre)
            : await receiver.DecryptAsync((SignalMessage)message);
    }
}
