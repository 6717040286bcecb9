using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Benchmarks.Compare;
using SignalSharp.Groups;
using SignalSharp.Storage;

namespace SignalSharp.Benchmarks.Scale;

/// <summary>
/// Many sessions: SQLite stores (Normal durability) holding N = 1,000 / 10,000 / 100,000 remote users, each with a
/// session, a sender key and a trusted identity, built by storing one real session record (an answered Alice → Bob
/// session) and one real received sender-key record under N addresses through the store's public API. Measures the
/// build, the file size per user, open time, the first encrypt to a cold address after opening, steady encrypts to
/// random addresses, sender-key loads from random senders, managed memory per loaded session record, and the
/// same steady encrypt on an in-memory store of the same size; then compares serialized record sizes with
/// libsignal's for the same conversation (benchmarks/node/libsignal-record-sizes.mjs).
/// </summary>
internal static class ManySessions
{
    private static readonly Guid Distribution = Guid.Parse("0f0f0f0f-0000-4000-8000-000000000000");
    private static readonly byte[] Plaintext = new byte[64];

    public static void Run(bool quick, string root, string directory, List<ScalePoint> points)
    {
        int[] sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
        using var template = new Party(StoreKind.InMemory, directory);
        var session = Sync.Run(template.AliceStore.LoadSessionAsync(Party.BobAddress))!;
        var senderKey = ReceivedSenderKey();

        Console.WriteLine("### Many sessions (SignalSharp only: libsignal has no store of its own)");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQLite store at Normal durability holding N users (session + sender key + identity each); all sizes open at once and measured in interleaved rounds (order rotating), medians over rounds; steady = uniform random addresses; cold = the first encrypt to an address since the store was opened (40 per size per round); open = median of 5."));
        Console.WriteLine();
        Console.WriteLine("| sessions | build s | DB bytes per user | open ms | first encrypt, cold µs | steady encrypt ops/s | sender-key load ops/s | in-memory steady encrypt ops/s | SQLite / in-memory | managed B per loaded session |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        int rounds = quick ? 3 : 5;
        var slice = TimeSpan.FromSeconds(quick ? 0.4 : 0.6);
        var built = new List<Built>();
        foreach (int n in sizes)
        {
            string path = Path.Combine(directory, $"sessions-{n}.db");
            byte[] key = RandomNumberGenerator.GetBytes(32);
            var build = Stopwatch.StartNew();
            using (var store = SqliteSignalProtocolStore.Create(path, key, template.AliceIdentity, 1, SqliteDurability.Normal))
            {
                for (int i = 0; i < n; i++)
                {
                    var address = Address(i);
                    Sync.Run(store.SaveIdentityAsync(address, template.BobIdentity));
                    Sync.Run(store.StoreSessionAsync(address, session));
                    Sync.Run(store.StoreSenderKeyAsync(address, Distribution, senderKey));
                }
            }

            double buildSeconds = build.Elapsed.TotalSeconds;
            long bytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sessions: built {n:N0} in {buildSeconds:F1} s"));
            built.Add(new Built(n, path, key, buildSeconds, bytes));
        }

        // Open times, interleaved over the sizes (each open is followed by a close).
        var openTimes = built.Select(_ => new List<double>()).ToArray();
        for (int k = 0; k < 5; k++)
        {
            for (int b = 0; b < built.Count; b++)
            {
                var clock = Stopwatch.StartNew();
                SqliteSignalProtocolStore.Open(built[b].Path, built[b].Key, SqliteDurability.Normal).Dispose();
                openTimes[b].Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        var stores = built.Select(b => SqliteSignalProtocolStore.Open(b.Path, b.Key, SqliteDurability.Normal)).ToArray();
        var memories = built.Select(b =>
        {
            var memory = new InMemorySignalProtocolStore(template.AliceIdentity, 1);
            for (int i = 0; i < b.N; i++)
            {
                Sync.Run(memory.StoreSessionAsync(Address(i), session));
            }

            return memory;
        }).ToArray();
        try
        {
            var random = new Random(7);
            // Cold: the first encrypt to addresses not used since the store was opened, 40 per size per round.
            // Warm-up (tier-1 JIT on a busy machine) on the first 100 addresses of the smallest store, which the
            // cold measurement then leaves out.
            var warm = Stopwatch.StartNew();
            for (int w = 0; w < 1000 || warm.Elapsed < TimeSpan.FromSeconds(quick ? 1 : 2); w++)
            {
                Encrypt(stores[0], w % 100);
                Encrypt(memories[0], w % 100);
                Sync.Run(stores[0].LoadSenderKeyAsync(Address(w % 100), Distribution))!.Dispose();
            }

            var coldOrder = built.Select(b => Enumerable.Range(100, b.N - 100).OrderBy(_ => random.Next()).Take(40 * rounds).ToArray()).ToArray();
            var cold = built.Select(_ => new List<double>()).ToArray();
            var steady = built.Select(_ => new List<double>()).ToArray();
            var senderKeys = built.Select(_ => new List<double>()).ToArray();
            var inMemory = built.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int j = 0; j < built.Count; j++)
                {
                    int b = (j + round) % built.Count;
                    int n = built[b].N;
                    var store = stores[b];
                    var clock = Stopwatch.StartNew();
                    for (int c = 0; c < 40; c++)
                    {
                        Encrypt(store, coldOrder[b][(round * 40) + c]);
                    }

                    cold[b].Add(clock.Elapsed.TotalMicroseconds / 40);
                    steady[b].Add(Rate(slice, () => Encrypt(store, random.Next(n))));
                    senderKeys[b].Add(Rate(slice / 2, () => Sync.Run(store.LoadSenderKeyAsync(Address(random.Next(n)), Distribution))!.Dispose()));
                    var memory = memories[b];
                    inMemory[b].Add(Rate(slice / 2, () => Encrypt(memory, random.Next(n))));
                }
            }

            for (int b = 0; b < built.Count; b++)
            {
                var (n, _, _, buildSeconds, bytes) = built[b];
                double openMs = DurableThroughput.Median(openTimes[b]);
                double coldUs = DurableThroughput.Median(cold[b]);
                double steadyRate = DurableThroughput.Median(steady[b]);
                double senderKeyRate = DurableThroughput.Median(senderKeys[b]);
                double memoryRate = DurableThroughput.Median(inMemory[b]);
                double ratio = DurableThroughput.Median(steady[b].Zip(inMemory[b], (a, m) => a / m).ToList());
                double perLoaded = LoadedBytes(stores[b], n);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {n:N0} | {buildSeconds:F1} | {(double)bytes / n:N0} | {openMs:F1} | {coldUs:F0} | {steadyRate:N0} | {senderKeyRate:N0} | {memoryRate:N0} | {ratio:P0} | {perLoaded:N0} |"));
                points.Add(new ScalePoint("sessions", "steady encrypt, random address (SQLite Normal)", "SignalSharp", n, steadyRate));
                points.Add(new ScalePoint("sessions", "first encrypt, cold address (SQLite Normal)", "SignalSharp", n, 1e6 / coldUs));
                points.Add(new ScalePoint("sessions", "sender-key load, random sender (SQLite)", "SignalSharp", n, senderKeyRate));
                points.Add(new ScalePoint("sessions", "steady encrypt, random address (in-memory)", "SignalSharp", n, memoryRate));
            }

            var steadyMedians = steady.Select(DurableThroughput.Median).ToList();
            var coldMedians = cold.Select(DurableThroughput.Median).ToList();
            var openMedians = openTimes.Select(DurableThroughput.Median).ToList();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Largest store against the smallest ({built[^1].N:N0} vs {built[0].N:N0}): steady encrypt time × {steadyMedians[0] / steadyMedians[^1]:F2}, cold first encrypt × {coldMedians[^1] / coldMedians[0]:F2} (goal ≤ 1.5×); open time × {openMedians[^1] / openMedians[0]:F2}."));
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }

        Console.WriteLine();
        RecordSizes(root, directory);
    }

    /// <summary>Serialized record sizes after the same conversation on both sides.</summary>
    private static void RecordSizes(string root, string directory)
    {
        var ours = new Dictionary<string, int>();
        using (var party = new Party(StoreKind.InMemory, directory))
        {
            ours["established"] = Sync.Run(party.AliceStore.LoadSessionAsync(Party.BobAddress))!.Serialize().Length;
            for (int i = 0; i < 100; i++)
            {
                var ab = Sync.Run(party.Alice.EncryptAsync(Plaintext)).Serialize();
                Sync.Run(party.Bob.DecryptAsync(SignalMessage.Deserialize(ab)));
                var ba = Sync.Run(party.Bob.EncryptAsync(Plaintext)).Serialize();
                Sync.Run(party.Alice.DecryptAsync(SignalMessage.Deserialize(ba)));
            }

            ours["after100RoundTrips"] = Sync.Run(party.AliceStore.LoadSessionAsync(Party.BobAddress))!.Serialize().Length;
            var skipped = new List<byte[]>();
            for (int i = 0; i < 50; i++)
            {
                skipped.Add(Sync.Run(party.Alice.EncryptAsync(Plaintext)).Serialize());
            }

            Sync.Run(party.Bob.DecryptAsync(SignalMessage.Deserialize(skipped[^1])));
            ours["receiverWith49Skipped"] = Sync.Run(party.BobStore.LoadSessionAsync(Party.AliceAddress))!.Serialize().Length;
        }

        using (var received = ReceivedSenderKey())
        {
            ours["senderKeyReceived"] = received.Serialize().Length;
        }

        JsonNode? theirs = null;
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", $"\"{Path.Combine(root, "benchmarks", "node", "libsignal-record-sizes.mjs")}\"") { RedirectStandardOutput = true })!;
            theirs = JsonNode.Parse(node.StandardOutput.ReadToEnd());
            node.WaitForExit();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or System.Text.Json.JsonException)
        {
        }

        Console.WriteLine("Serialized record sizes after the same conversation (bytes; libsignal: `SessionRecord.serialize()` / `SenderKeyRecord.serialize()` of its own stores):");
        Console.WriteLine();
        Console.WriteLine("| record | SignalSharp B | libsignal B | ratio |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, label) in new[]
                 {
                     ("established", "session, answered + one more message (initiator)"),
                     ("after100RoundTrips", "session after 100 more round trips (initiator)"),
                     ("receiverWith49Skipped", "session holding 49 skipped message keys (receiver)"),
                     ("senderKeyReceived", "sender key, received from a distribution message"),
                 })
        {
            int? their = theirs?[name]?.GetValue<int>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {ours[name]:N0} | {(their is { } t ? t.ToString("N0", CultureInfo.InvariantCulture) : "?")} | {(their is { } u ? ((double)ours[name] / u).ToString("F2", CultureInfo.InvariantCulture) + "×" : "?")} |"));
        }

        Console.WriteLine();
    }

    private sealed record Built(int N, string Path, byte[] Key, double BuildSeconds, long Bytes);

    private static SenderKeyRecord ReceivedSenderKey()
    {
        var senderStore = new InMemorySenderKeyStore();
        var receiverStore = new InMemorySenderKeyStore();
        var skdm = Sync.Run(new GroupCipher(senderStore).CreateDistributionMessageAsync(Party.AliceAddress, Distribution));
        Sync.Run(new GroupCipher(receiverStore).ProcessDistributionMessageAsync(Party.AliceAddress, skdm.Serialize()));
        return Sync.Run(receiverStore.LoadSenderKeyAsync(Party.AliceAddress, Distribution))!;
    }

    private static ProtocolAddress Address(int i) => new(new Guid(i + 1, 0, 0, [0x80, 0, 0, 0, 0, 0, 0, 1]).ToString(), 1);

    private static void Encrypt(ISignalProtocolStore store, int i)
        => Sync.Run(new SessionCipher(store, Party.AliceAddress, Address(i)).EncryptAsync(Plaintext));

    private static double Rate(TimeSpan budget, Action op)
    {
        for (int i = 0; i < 50; i++)
        {
            op();
        }

        long ops = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget)
        {
            op();
            ops++;
        }

        return ops / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Managed heap bytes per session record loaded from the store and held.</summary>
    private static double LoadedBytes(SqliteSignalProtocolStore store, int n)
    {
        const int count = 1000;
        var held = new List<SessionRecord>(count);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < count; i++)
        {
            held.Add(Sync.Run(store.LoadSessionAsync(Address(i % n)))!);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(held);
        return (double)(after - before) / count;
    }
}
