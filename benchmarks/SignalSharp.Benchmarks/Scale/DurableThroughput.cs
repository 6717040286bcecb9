using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using SignalSharp;

using SignalSharp.Benchmarks.Compare;

namespace SignalSharp.Benchmarks.Scale;

/// <summary>
/// Durable throughput: one-way encrypt, one-way decrypt and round trips (64 B) on the in-memory store and on
/// <see cref="Storage.SqliteSignalProtocolStore"/> at Normal and Full durability, interleaved rounds (the order
/// of the three stores rotates per round), each store measured for a fixed time per round. Reports the rate, the
/// ratio to in-memory (median of the per-round ratios), SQLite commits per operation, and a stopwatch breakdown
/// of where a durable encrypt's time goes.
/// </summary>
internal static class DurableThroughput
{
    private static readonly byte[] Plaintext = new byte[64];

    private interface IWorkload
    {
        void Prepare(int count);

        void Run();
    }

    public static void Run(bool quick, string directory, List<ScalePoint> points)
    {
        int rounds = quick ? 3 : 5;
        var budget = TimeSpan.FromSeconds(quick ? 0.5 : 1.2);
        var kinds = new[] { StoreKind.InMemory, StoreKind.SqliteNormal, StoreKind.SqliteFull };
        var workloads = new (string Key, string Label, Func<Party, IWorkload> Make)[]
        {
            ("encrypt64", "one-way encrypt, 64 B", p => new Encrypt(p)),
            ("decrypt64", "one-way decrypt, 64 B", p => new Decrypt(p)),
            ("roundtrip", "round trip, 64 B each way", p => new RoundTrip(p)),
        };

        Console.WriteLine("### Durable throughput (SignalSharp only: libsignal has no durable store of its own)");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} interleaved rounds, {budget.TotalSeconds:0.#} s per store per round; ratio = rate / in-memory rate, median of the per-round ratios (in brackets: the same ratio in process CPU time, less sensitive to the shared machine); commits = SQLite write transactions per operation (both parties' files, commit hook)."));
        Console.WriteLine();
        Console.WriteLine("| workload | in-memory ops/s | SQLite Normal ops/s | Normal / in-memory (CPU time) | SQLite Full ops/s | Full / in-memory (CPU time) | commits/op (Normal, Full) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        double encryptMemory = double.NaN, encryptNormal = double.NaN, encryptFull = double.NaN;
        foreach (var (key, label, make) in workloads)
        {
            var parties = kinds.Select(k => new Party(k, directory)).ToArray();
            try
            {
                var loads = parties.Select(make).ToArray();
                // Warm-up: the in-memory and Normal stores run long enough for tiered JIT to reach tier 1 on a busy
                // machine (at least 1,000 operations); Full shares their code and only needs its file warm.
                for (int i = 0; i < loads.Length; i++)
                {
                    long warmed = 0;
                    var clock = Stopwatch.StartNew();
                    do
                    {
                        warmed += Measure(loads[i], TimeSpan.FromSeconds(0.2)).Ops;
                    }
                    while (kinds[i] != StoreKind.SqliteFull && (warmed < 1000 || clock.Elapsed < TimeSpan.FromSeconds(quick ? 1 : 2)));
                }

                var rates = kinds.Select(_ => new List<double>()).ToArray();
                var cpuRates = kinds.Select(_ => new List<double>()).ToArray();
                var commits = new double[kinds.Length];
                var opsTotal = new double[kinds.Length];
                for (int round = 0; round < rounds; round++)
                {
                    for (int j = 0; j < kinds.Length; j++)
                    {
                        int i = (j + round) % kinds.Length;
                        var (ops, seconds, cpuSeconds, committed) = Measure(loads[i], budget, parties[i].Commits);
                        rates[i].Add(ops / seconds);
                        cpuRates[i].Add(ops / cpuSeconds);
                        commits[i] += committed;
                        opsTotal[i] += ops;
                    }
                }

                double Ratio(int i) => Median(rates[i].Zip(rates[0], (a, b) => a / b).ToList());
                double CpuRatio(int i) => Median(cpuRates[i].Zip(cpuRates[0], (a, b) => a / b).ToList());
                var median = rates.Select(Median).ToArray();
                string perOp(int i) => parties[i].Counting ? (commits[i] / opsTotal[i]).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {median[0]:N0} | {median[1]:N0} | **{Ratio(1):P0}** ({CpuRatio(1):P0}) | {median[2]:N0} | **{Ratio(2):P0}** ({CpuRatio(2):P0}) | {perOp(1)}, {perOp(2)} |"));
                for (int i = 0; i < kinds.Length; i++)
                {
                    points.Add(new ScalePoint("durable", label, Name(kinds[i]), i, median[i]));
                }

                if (key == "encrypt64")
                {
                    (encryptMemory, encryptNormal, encryptFull) = (median[0], median[1], median[2]);
                }
            }
            finally
            {
                foreach (var p in parties)
                {
                    p.Dispose();
                }
            }
        }

        Console.WriteLine();
        Breakdown(directory, encryptMemory, encryptNormal, encryptFull);
    }

    /// <summary>Where a durable one-way encrypt's time goes, by subtraction from separately timed parts.</summary>
    private static void Breakdown(string directory, double memory, double normal, double full)
    {
        using var party = new Party(StoreKind.InMemory, directory);
        var record = Sync.Run(party.AliceStore.LoadSessionAsync(Party.BobAddress))!;
        byte[] serialized = record.Serialize();
        const int n = 2000;
        double serializeUs = Time(n, () => SessionRecord.Deserialize(record.Serialize()));
        var key = RandomNumberGenerator.GetBytes(32);
        using var aes = new AesGcm(key, 16);
        var nonce = new byte[12];
        var tag = new byte[16];
        var sealedBytes = new byte[serialized.Length];
        var opened = new byte[serialized.Length];
        var aad = new byte[40];
        double sealUs = Time(n, () =>
        {
            RandomNumberGenerator.Fill(nonce);
            aes.Encrypt(nonce, serialized, sealedBytes, tag, aad);
            aes.Decrypt(nonce, sealedBytes, tag, opened, aad);
            HMACSHA256.HashData(key, aad);
        });
        // The same encrypt on an in-memory session store that keeps records serialized (parse on load, serialize on
        // store, nothing else): what serialization costs inside the operation, including anything a parsed record
        // has to recompute that a live object kept.
        var serializedStore = new SerializedSessionStore();
        Sync.Run(serializedStore.StoreSessionAsync(Party.BobAddress, record));
        var identities = new InMemoryIdentityKeyStore(party.AliceIdentity, 1);
        var serializedCipher = new SessionCipher(serializedStore, identities, new InMemoryPreKeyStore(), new InMemorySignedPreKeyStore(), new InMemoryKyberPreKeyStore(), Party.AliceAddress, Party.BobAddress);
        double serializedEncryptUs = Time(n, () => Sync.Run(serializedCipher.EncryptAsync(Plaintext)));
        double liveEncryptUs = Time(n, () => Sync.Run(party.Alice.EncryptAsync(Plaintext)));
        double memUs = 1e6 / memory, normalUs = 1e6 / normal, fullUs = 1e6 / full;
        double sqlite = normalUs - memUs - serializeUs - sealUs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Where a one-way encrypt's time goes (µs per operation, stopwatch; the session record is {serialized.Length:N0} B serialized):"));
        Console.WriteLine();
        Console.WriteLine("| part | µs | share of a Normal encrypt | share of a Full encrypt |");
        Console.WriteLine("|---|---:|---:|---:|");
        void Row(string part, double us) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {part} | {us:F1} | {us / normalUs:P0} | {us / fullUs:P0} |"));
        Row("protocol work (the in-memory encrypt)", memUs);
        Row("record serialize + parse (SessionRecord, timed alone)", serializeUs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (cross-check, same moment: in-memory encrypt {liveEncryptUs:F1} µs; with records kept serialized {serializedEncryptUs:F1} µs, +{serializedEncryptUs - liveEncryptUs:F1}) | | | |"));
        Row("sealing: AES-256-GCM seal + open of the record, row-key HMAC (timed alone)", sealUs);
        Row("SQLite statements and commit without fsync (Normal − the three above)", sqlite);
        Row("fsync of the commit (Full − Normal)", fullUs - normalUs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **total** | Normal {normalUs:F1} / Full {fullUs:F1} | | |"));
        Console.WriteLine();
        StoreCalls(directory);
        SqliteUnits(directory, serialized.Length);
    }

    /// <summary>Each store call a one-way encrypt makes, timed alone on a SQLite store at Normal durability.</summary>
    private static void StoreCalls(string directory)
    {
        using var party = new Party(StoreKind.SqliteNormal, directory);
        var store = party.AliceStore;
        var record = Sync.Run(store.LoadSessionAsync(Party.BobAddress))!;
        var identity = party.BobIdentity;
        const int n = 400;
        var calls = new (string Name, double Us)[]
        {
            ("LoadSessionAsync", Time(n, () => Sync.Run(store.LoadSessionAsync(Party.BobAddress)))),
            ("IsTrustedIdentityAsync", Time(n, () => Sync.Run(store.IsTrustedIdentityAsync(Party.BobAddress, identity, SignalSharp.Direction.Sending)))),
            ("SaveIdentityAsync (unchanged)", Time(n, () => Sync.Run(store.SaveIdentityAsync(Party.BobAddress, identity)))),
            ("StoreSessionAsync", Time(n, () => Sync.Run(store.StoreSessionAsync(Party.BobAddress, record)))),
        };
        if (store is ITransactionalSignalProtocolStore unit)
        {
            // The calls of the unit of work (what SessionCipher uses on this store): load for update, and the
            // one-transaction commit of session and identity (timed as load + commit, minus the load).
            double forUpdate = Time(n, () => Sync.Run(unit.LoadSessionForUpdateAsync(Party.BobAddress)));
            double loadAndCommit = Time(n, () =>
            {
                var loaded = Sync.Run(unit.LoadSessionForUpdateAsync(Party.BobAddress));
                Sync.Run(unit.TryCommitAsync(new SessionCommit(Party.BobAddress, loaded.Record!, loaded.Version) { Identity = identity }));
            });
            calls = [.. calls, ("LoadSessionForUpdateAsync", forUpdate), ("TryCommitAsync (session + identity, one transaction)", loadAndCommit - forUpdate)];
        }

        Console.WriteLine("Store calls of a one-way encrypt, each timed alone on a SQLite store at Normal durability (µs per call, stopwatch):");
        Console.WriteLine();
        Console.WriteLine("| call | µs |");
        Console.WriteLine("|---|---:|");
        foreach (var (name, us) in calls)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{name}` | {us:F1} |"));
        }

        Console.WriteLine();
    }

    /// <summary>
    /// SQLite's unit costs on a scratch database with the store's schema and pragmas (WAL, synchronous NORMAL,
    /// secure_delete) and a record-sized sealed value: a point read, a one-row write transaction, each with a new
    /// command per call (as the store issues them) and with one prepared command reused.
    /// </summary>
    private static void SqliteUnits(string directory, int valueLength)
    {
        string path = Path.Combine(directory, $"units-{Guid.NewGuid():N}.db");
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        void Exec(string sql)
        {
            using var c = connection.CreateCommand();
            c.CommandText = sql;
            c.ExecuteNonQuery();
        }

        Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;");
        Exec("CREATE TABLE records (kind INTEGER NOT NULL, k BLOB NOT NULL, grp BLOB, value BLOB NOT NULL, PRIMARY KEY (kind, k)) WITHOUT ROWID");
        var value = RandomNumberGenerator.GetBytes(valueLength + 28);
        var rowKey = RandomNumberGenerator.GetBytes(32);
        const string select = "SELECT value FROM records WHERE kind = $kind AND k = $k";
        const string upsert = "INSERT OR REPLACE INTO records (kind, k, grp, value) VALUES ($kind, $k, NULL, $v)";
        void Write(Microsoft.Data.Sqlite.SqliteCommand? reused)
        {
            using var tx = connection.BeginTransaction(deferred: false);
            var c = reused ?? connection.CreateCommand();
            c.CommandText = upsert;
            c.Transaction = tx;
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$kind", 2);
            c.Parameters.AddWithValue("$k", rowKey);
            c.Parameters.AddWithValue("$v", value);
            c.ExecuteNonQuery();
            if (reused is null)
            {
                c.Dispose();
            }

            tx.Commit();
        }

        object? Read(Microsoft.Data.Sqlite.SqliteCommand? reused)
        {
            var c = reused ?? connection.CreateCommand();
            c.CommandText = select;
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$kind", 2);
            c.Parameters.AddWithValue("$k", rowKey);
            object? result = c.ExecuteScalar();
            if (reused is null)
            {
                c.Dispose();
            }

            return result;
        }

        Write(null);
        const int n = 1000;
        double readNew = Time(n, () => Read(null));
        double writeNew = Time(n / 2, () => Write(null));
        using var readCommand = connection.CreateCommand();
        using var writeCommand = connection.CreateCommand();
        double readReused = Time(n, () => Read(readCommand));
        double writeReused = Time(n / 2, () => Write(writeCommand));
        Exec("PRAGMA secure_delete = OFF;");
        double writeNoSecureDelete = Time(n / 2, () => Write(null));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQLite unit costs on a scratch database with the store's schema and pragmas, a {value.Length:N0} B value (µs per call, stopwatch):"));
        Console.WriteLine();
        Console.WriteLine("| call | new command per call (as the store) | one prepared command reused |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| point read (SELECT value by key) | {readNew:F1} | {readReused:F1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| one-row write transaction (BEGIN IMMEDIATE, INSERT OR REPLACE, COMMIT) | {writeNew:F1} | {writeReused:F1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the same write with secure_delete off | {writeNoSecureDelete:F1} | |"));
        Console.WriteLine();
    }

    private static double Time(int n, Action action)
    {
        for (int i = 0; i < n / 4; i++)
        {
            action();
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            action();
        }

        return clock.Elapsed.TotalMicroseconds / n;
    }

    private static string Name(StoreKind kind) => kind switch
    {
        StoreKind.InMemory => "in-memory",
        StoreKind.SqliteNormal => "SQLite Normal",
        _ => "SQLite Full",
    };

    /// <summary>Runs batches until <paramref name="budget"/> of timed work; preparation is outside the timing.</summary>
    private static (long Ops, double Seconds, double CpuSeconds, long Commits) Measure(IWorkload workload, TimeSpan budget, CommitCounter? counter = null)
    {
        const int batch = 16;
        long ops = 0;
        long ticks = 0;
        long cpu = 0;
        long commits = 0;
        long limit = (long)(budget.TotalSeconds * Stopwatch.Frequency);
        while (ticks < limit)
        {
            workload.Prepare(batch);
            long before = counter?.Commits ?? 0;
            long cpuStart = CpuTime.Nanoseconds();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++)
            {
                workload.Run();
            }

            ticks += Stopwatch.GetTimestamp() - start;
            cpu += CpuTime.Nanoseconds() - cpuStart;
            commits += (counter?.Commits ?? 0) - before;
            ops += batch;
        }

        return (ops, (double)ticks / Stopwatch.Frequency, cpu / 1e9, commits);
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed class Encrypt(Party party) : IWorkload
    {
        public void Prepare(int count)
        {
        }

        public void Run() => Sync.Run(party.Alice.EncryptAsync(Plaintext));
    }

    private sealed class Decrypt(Party party) : IWorkload
    {
        private readonly Queue<byte[]> _inbox = new();

        public void Prepare(int count)
        {
            while (_inbox.Count < count)
            {
                _inbox.Enqueue(Sync.Run(party.Alice.EncryptAsync(Plaintext)).Serialize());
            }
        }

        public void Run() => Sync.Run(party.Bob.DecryptAsync(SignalMessage.Deserialize(_inbox.Dequeue())));
    }

    private sealed class RoundTrip(Party party) : IWorkload
    {
        public void Prepare(int count)
        {
        }

        public void Run()
        {
            var ab = Sync.Run(party.Alice.EncryptAsync(Plaintext)).Serialize();
            Sync.Run(party.Bob.DecryptAsync(SignalMessage.Deserialize(ab)));
            var ba = Sync.Run(party.Bob.EncryptAsync(Plaintext)).Serialize();
            Sync.Run(party.Alice.DecryptAsync(SignalMessage.Deserialize(ba)));
        }
    }
}
