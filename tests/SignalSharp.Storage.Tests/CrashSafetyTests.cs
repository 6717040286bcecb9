using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SignalSharp;
using Xunit;
using Xunit.Abstractions;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// SIGKILL at random moments: a child process (tests/SignalSharp.StoreChild) talks with a SQLite store while the test
/// kills it. After every restart the conversation continues, every message the child acknowledged was decrypted
/// exactly once, the child never sends two messages on one chain position, and the database passes
/// <c>PRAGMA integrity_check</c>. The same for kills during backup export and import.
/// </summary>
/// <remarks>
/// <c>SIGNALSHARP_CRASH_KILLS</c> raises the number of kills for a soak (docs/storage.md, "Crash safety").
/// </remarks>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(1);
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static int Kills => int.TryParse(Environment.GetEnvironmentVariable("SIGNALSHARP_CRASH_KILLS"), out int n) && n > 0 ? n : 50;

    [Fact]
    public async Task KilledAtRandomMomentsTheConversationContinuesWithoutLossOrKeyReuse()
    {
        byte[] key = TempDatabase.NewKey();
        string keyHex = Convert.ToHexString(key);
        var aliceAddress = new ProtocolAddress("alice", 1);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        var alice = new Device(aliceAddress, null!);
        var bundles = new Queue<PreKeyBundle>();
        using (var aliceIdentity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, aliceIdentity, 1))
        {
            alice.Store = store;
            for (int i = 0; i < 1 + (Kills / 2); i++)
            {
                bundles.Enqueue(await alice.PublishBundleAsync());
            }
        }

        await new SessionBuilder(bob.Store, aliceAddress).ProcessPreKeyBundleAsync(bundles.Dequeue());
        var bobCipher = new SessionCipher(bob.Store, bob.Address, aliceAddress);

        var random = new Random(RandomNumberGenerator.GetInt32(int.MaxValue));
        var pending = new Dictionary<int, (int Type, string Body)>();
        var acknowledged = new HashSet<int>();
        var positions = new HashSet<(string, uint)>();
        var received = new HashSet<string>();
        int nextBobSeq = 0, nextAliceSeq = 0, kills = 0, steps = 0, lostAfterCommit = 0, preKeySessions = 1;
        ChildProcess? child = null;
        try
        {
            while (kills < Kills || pending.Count > 0)
            {
                steps++;
                Assert.True(steps < 100 * Kills, "the conversation does not make progress");
                if (child is null)
                {
                    child = await StartConversationAsync(keyHex, random);
                    if (child is null)
                    {
                        kills++;
                        AssertIntact();
                        continue;
                    }
                }

                string command;
                int seq;
                if (pending.Count > 0 && random.Next(3) > 0)
                {
                    // Redeliver what the child has not acknowledged (it may or may not have committed it).
                    seq = pending.Keys.First();
                    command = $"R {seq} {pending[seq].Type} {pending[seq].Body}";
                }
                else if (nextBobSeq == 0 || random.Next(2) == 0)
                {
                    if (random.Next(4) == 0 && bundles.Count > 0)
                    {
                        // A new session: the next messages are PreKey messages, whose decrypt consumes pre-keys.
                        await new SessionBuilder(bob.Store, aliceAddress).ProcessPreKeyBundleAsync(bundles.Dequeue());
                        preKeySessions++;
                    }

                    seq = nextBobSeq++;
                    var message = await bobCipher.EncryptAsync(System.Text.Encoding.UTF8.GetBytes("b" + seq));
                    pending[seq] = ((int)message.Type, Convert.ToBase64String(message.Serialize()));
                    command = $"R {seq} {pending[seq].Type} {pending[seq].Body}";
                }
                else
                {
                    seq = nextAliceSeq++;
                    command = $"S {seq}";
                }

                using var killTimer = new CancellationTokenSource();
                var liveChild = child;
                if (random.Next(3) == 0)
                {
                    int delay = random.Next(25);
                    _ = Task.Delay(delay, killTimer.Token).ContinueWith(t => liveChild.Kill(), TaskContinuationOptions.OnlyOnRanToCompletion);
                }

                string? answer;
                try
                {
                    child.Send(command);
                    answer = await child.ReadLineAsync(AnswerTimeout);
                }
                catch (IOException)
                {
                    answer = null;
                }

                killTimer.Cancel();
                if (answer is null)
                {
                    kills++;
                    child.Kill();
                    child.Dispose();
                    child = null;
                    AssertIntact();
                    continue;
                }

                string[] parts = answer.Split(' ', 4);
                if (parts[0] == "C")
                {
                    // A message the child sent: never a chain position used before, and it decrypts.
                    var body = Convert.FromBase64String(parts[3]);
                    Assert.Equal((int)CiphertextMessageType.Whisper, int.Parse(parts[2]));
                    var message = SignalMessage.Deserialize(body);
                    Assert.True(positions.Add((Convert.ToHexString(message.RatchetKey.Serialize()), message.Counter)), $"chain position {message.Counter} used twice");
                    string text = System.Text.Encoding.UTF8.GetString(await bobCipher.DecryptAsync(message));
                    Assert.Equal("m" + parts[1], text);
                    Assert.True(received.Add(text));
                }
                else
                {
                    Assert.Equal("A", parts[0]);
                    int ackSeq = int.Parse(parts[1]);
                    Assert.Equal(seq, ackSeq);
                    switch (parts[2])
                    {
                        case "OK":
                            Assert.Equal("b" + ackSeq, parts[3]);
                            Assert.True(acknowledged.Add(ackSeq), $"message {ackSeq} decrypted twice");
                            break;
                        case "DUP":
                            // Committed, then killed before the acknowledgement: the store must not decrypt it again.
                            Assert.DoesNotContain(ackSeq, acknowledged);
                            lostAfterCommit++;
                            break;
                        default:
                            Assert.Fail($"message {ackSeq} failed after a restart: {answer}");
                            break;
                    }

                    pending.Remove(ackSeq);
                }
            }
        }
        finally
        {
            child?.Dispose();
        }

        output.WriteLine($"{kills} kills, {steps} steps, {acknowledged.Count} acknowledged, {lostAfterCommit} committed but unacknowledged, {received.Count} sent by the child, {preKeySessions} PreKey sessions");
        Assert.True(kills >= Kills);
        AssertIntact();
    }

    [Fact]
    public async Task KilledDuringBackupExportAndImportNothingIsHalfWritten()
    {
        byte[] key = TempDatabase.NewKey();
        byte[] backupKey = RandomNumberGenerator.GetBytes(32);
        var bob = new Device(new ProtocolAddress("bob", 1), new InMemorySignalProtocolStore(KeyHelper.GenerateIdentityKeyPair(), 2));
        var alice = new Device(new ProtocolAddress("alice", 1), null!);
        using (var aliceIdentity = KeyHelper.GenerateIdentityKeyPair())
        using (var store = SqliteSignalProtocolStore.Create(_db.Path, key, aliceIdentity, 1))
        {
            alice.Store = store;
            await alice.StartSessionWithAsync(bob);
            Assert.Equal("hello", await alice.SendAsync(bob, "hello"));
            for (uint i = 0; i < 50; i++)
            {
                using var pre = KeyHelper.GeneratePreKeys(1000 + i, 1)[0];
                await store.StorePreKeyAsync(1000 + i, pre);
            }
        }

        var random = new Random(RandomNumberGenerator.GetInt32(int.MaxValue));
        string backup = _db.Sibling("backup.bin");
        int kills = 0;
        for (int attempt = 0; attempt < 12; attempt++)
        {
            using var export = ChildProcess.Start("export", _db.Path, Convert.ToHexString(key), backup, Convert.ToHexString(backupKey));
            await Task.Delay(random.Next(50, 900));
            kills += export.HasExited ? 0 : 1;
            export.Kill();
            AssertIntact();
        }

        using (var export = ChildProcess.Start("export", _db.Path, Convert.ToHexString(key), backup, Convert.ToHexString(backupKey)))
        {
            Assert.Equal("DONE", await export.ReadLineAsync(AnswerTimeout));
        }

        string restored = _db.Sibling("restored.db");
        byte[] restoredKey = TempDatabase.NewKey();
        for (int attempt = 0; attempt < 12; attempt++)
        {
            using var import = ChildProcess.Start("import", backup, Convert.ToHexString(backupKey), restored, Convert.ToHexString(restoredKey));
            await Task.Delay(random.Next(50, 900));
            kills += import.HasExited ? 0 : 1;
            import.Kill();

            // Either no database at all, or a complete one.
            if (File.Exists(restored))
            {
                using var store = SqliteSignalProtocolStore.Open(restored, restoredKey);
                Assert.NotNull(await store.LoadSessionAsync(bob.Address));
                AssertIntact(restored);
                break;
            }
        }

        if (!File.Exists(restored))
        {
            using var import = ChildProcess.Start("import", backup, Convert.ToHexString(backupKey), restored, Convert.ToHexString(restoredKey));
            Assert.Equal("DONE", await import.ReadLineAsync(AnswerTimeout));
        }

        using (var store = SqliteSignalProtocolStore.Open(restored, restoredKey))
        {
            Assert.NotNull(await store.LoadSessionAsync(bob.Address));
        }

        output.WriteLine($"{kills} kills during export and import");
        AssertIntact(restored);
        AssertIntact();
    }

    /// <summary>Starts the child on the database; null when it was killed while starting up (one start in ten).</summary>
    private async Task<ChildProcess?> StartConversationAsync(string keyHex, Random random)
    {
        var child = ChildProcess.Start("converse", _db.Path, keyHex);
        if (random.Next(10) == 0)
        {
            // Killed while opening the database.
            await Task.Delay(random.Next(400));
            child.Kill();
        }
        else if (await child.ReadLineAsync(AnswerTimeout) == "READY")
        {
            return child;
        }

        child.Dispose();
        return null;
    }

    private void AssertIntact(string? path = null)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path ?? _db.Path, Pooling = false }.ToString());
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar() as string);
    }
}
