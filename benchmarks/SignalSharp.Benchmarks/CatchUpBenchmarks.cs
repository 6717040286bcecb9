using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SignalSharp;
using SignalSharp.Devices;
using SignalSharp.Storage;

namespace SignalSharp.Benchmarks;

/// <summary>
/// Offline catch-up: one device drains a mailbox of 10,000 queued messages from 50 senders (200 each, interleaved
/// as a server would queue them) with <see cref="BatchReceiver"/>. Every sender has an established session (the
/// device answered each sender once), so the queue holds Whisper messages of 100-byte padded content. Each
/// iteration starts from the same receiver state (a copy of the SQLite file, or fresh in-memory stores) and drains
/// the whole mailbox once; the reported time is per message (OperationsPerInvoke), so msgs/s = 1 / mean.
/// </summary>
[Config(typeof(OneDrainPerIteration))]
[MemoryDiagnoser]
public class CatchUpBenchmarks
{
    private const int Senders = 50;
    private const int PerSender = 200;
    private const int Messages = Senders * PerSender;

    private readonly ProtocolAddress _receiver = new("receiver", 1);
    private readonly List<IDisposable> _owned = [];
    private string _folder = null!;
    private string _template = null!;
    private byte[] _storageKey = null!;
    private byte[] _identity = null!;
    private uint _registrationId;
    private (ProtocolAddress Address, byte[] Record, IdentityKey Identity)[] _sessions = null!;
    private IncomingDeviceMessage[] _mailbox = null!;
    private ISignalProtocolStore _store = null!;
    private int _iteration;

    [Params("memory", "sqlite-full")]
    public string Store { get; set; } = "memory";

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "signalsharp-catchup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _storageKey = RandomNumberGenerator.GetBytes(SqliteSignalProtocolStore.StorageKeySize);
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        _identity = identity.Serialize();
        _registrationId = KeyHelper.GenerateRegistrationId();
        var receiver = new InMemorySignalProtocolStore(identity, _registrationId);
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 1);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, 1);
        await receiver.StoreSignedPreKeyAsync(1, signed);
        await receiver.StoreKyberPreKeyAsync(1, kyber);
        var bundle = new PreKeyBundle(_registrationId, 1, null, null, 1, signed.PublicKey, signed.Signature, identity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);

        byte[] content = ContentPadding.Pad(RandomNumberGenerator.GetBytes(100));
        var perSender = new List<IncomingDeviceMessage>[Senders];
        for (int s = 0; s < Senders; s++)
        {
            var address = new ProtocolAddress($"sender{s}", 1);
            using var senderIdentity = KeyHelper.GenerateIdentityKeyPair();
            var sender = new InMemorySignalProtocolStore(senderIdentity, (uint)s + 1);
            await new SessionBuilder(sender, _receiver).ProcessPreKeyBundleAsync(bundle);
            var senderCipher = new SessionCipher(sender, address, _receiver);
            var receiverCipher = new SessionCipher(receiver, _receiver, address);
            var hello = await senderCipher.EncryptAsync(content);
            await receiverCipher.DecryptAsync(hello.Type, hello.Serialize());
            var reply = await receiverCipher.EncryptAsync(content);
            await senderCipher.DecryptAsync(reply.Type, reply.Serialize());
            perSender[s] = [];
            for (int n = 0; n < PerSender; n++)
            {
                var message = await senderCipher.EncryptAsync(content);
                perSender[s].Add(new IncomingDeviceMessage(address, message.Type, message.Serialize()));
            }
        }

        // Round-robin: the order in which a mailbox fills when all senders write at once.
        _mailbox = Enumerable.Range(0, PerSender).SelectMany(n => perSender.Select(q => q[n])).ToArray();
        var sessions = new List<(ProtocolAddress, byte[], IdentityKey)>();
        for (int s = 0; s < Senders; s++)
        {
            var address = new ProtocolAddress($"sender{s}", 1);
            sessions.Add((address, (await receiver.LoadSessionAsync(address))!.Serialize(), (await receiver.GetIdentityAsync(address))!));
        }

        _sessions = [.. sessions];
        if (Store == "sqlite-full")
        {
            _template = Path.Combine(_folder, "template.db");
            using var template = SqliteSignalProtocolStore.Create(_template, _storageKey, identity, _registrationId);
            await FillAsync(template);
        }
    }

    [IterationSetup]
    public void IterationSetup()
    {
        if (Store == "memory")
        {
            using var identity = IdentityKeyPair.Deserialize(_identity);
            var store = new InMemorySignalProtocolStore(identity, _registrationId);
            FillAsync(store).GetAwaiter().GetResult();
            _store = store;
            return;
        }

        string path = Path.Combine(_folder, $"run{_iteration++}.db");
        File.Copy(_template, path);
        var sqlite = SqliteSignalProtocolStore.Open(path, _storageKey, SqliteDurability.Full);
        _owned.Add(sqlite);
        _store = sqlite;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<int> DrainMailbox()
    {
        var results = await new BatchReceiver(_store, _receiver).ReceiveAsync(_mailbox);
        int decrypted = results.Count(r => r.Status == ReceiveStatus.Decrypted);
        if (decrypted != Messages)
        {
            throw new InvalidOperationException($"only {decrypted} of {Messages} messages decrypted");
        }

        return decrypted;
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

    /// <summary>One whole drain per iteration (a drain consumes its state), in process: 1 warm-up and 5 measured drains.</summary>
    private sealed class OneDrainPerIteration : ManualConfig
    {
        public OneDrainPerIteration() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)));
    }

    private async Task FillAsync(ISignalProtocolStore store)
    {
        foreach (var (address, record, identity) in _sessions)
        {
            await store.SaveIdentityAsync(address, identity);
            await store.StoreSessionAsync(address, SessionRecord.Deserialize(record));
        }
    }
}
