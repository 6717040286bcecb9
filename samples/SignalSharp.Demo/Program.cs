// The messenger story over a real relay on loopback: alice (phone + laptop), bob (phone + laptop) and carol,
// each device with its own SQLite store, talking through SignalSharp.Relay, which only ever sees routing metadata
// and ciphertext. Left column: what each user's device shows. Right column: what the relay stored or refused.
using System.Diagnostics;
using SignalSharp.Demo;
using SignalSharp.Messenger;
using SignalSharp.Relay;

if (args is ["bench", ..])
{
    // dotnet run -c Release --project samples/SignalSharp.Demo -- bench [texts per sender]
    await RelayBenchmark.RunAsync(args);
    return;
}

string root = Path.Combine(Path.GetTempPath(), "signalsharp-demo", Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
await using var relay = await RelayServer.StartAsync();
var story = new Story(relay);
Console.WriteLine($"relay listening on {relay.BaseAddress} (loopback); device databases in {root}");

var alicePhone = story.Track("alice phone", await MessengerDevice.RegisterAsync(relay.BaseAddress, "alice", Path.Combine(root, "alice-phone")));
var aliceLaptop = story.Track("alice laptop", await alicePhone.LinkDeviceAsync(Path.Combine(root, "alice-laptop")));
var bobPhone = story.Track("bob phone", await MessengerDevice.RegisterAsync(relay.BaseAddress, "bob", Path.Combine(root, "bob-phone")));
var bobLaptop = story.Track("bob laptop", await bobPhone.LinkDeviceAsync(Path.Combine(root, "bob-laptop")));
var carol = story.Track("carol", await MessengerDevice.RegisterAsync(relay.BaseAddress, "carol", Path.Combine(root, "carol-phone")));
await story.SceneAsync("1. five devices register; each publishes pre-keys (the relay keeps public keys only)", async () =>
{
    foreach (var device in story.Devices)
    {
        device.Connect();
    }

    await story.SettleAsync();
    story.Server.Add(await story.KeySummaryAsync());
});

ulong hello = 0;
await story.SceneAsync("2. alice writes to bob: one ciphertext per device (bob's two, alice's own laptop as a sync copy)", async () =>
{
    hello = await alicePhone.SendTextAsync("bob", "Hi Bob! This reaches both of your devices.");
    await story.SettleAsync();
});

await story.SceneAsync("3. bob is offline; the relay queues for his devices; he catches up when he reconnects", async () =>
{
    await bobPhone.StopAsync();
    await bobLaptop.StopAsync();
    story.See("bob", "(both devices offline)");
    await alicePhone.SendTextAsync("bob", "Are you there?");
    await aliceLaptop.SendTextAsync("bob", "Writing from my laptop now.");
    await alicePhone.SendTextAsync("bob", "Call me when you see this.");
    await story.SettleAsync();
    story.Server.Add(await story.MailboxSummaryAsync("while bob is offline"));
    bobPhone.Connect();
    bobLaptop.Connect();
    await bobPhone.WaitUntilAsync(d => d.CaughtUp, Story.Patience);
    await bobLaptop.WaitUntilAsync(d => d.CaughtUp, Story.Patience);
    await story.SettleAsync();
    story.Server.Add(await story.MailboxSummaryAsync("after bob's devices acknowledged"));
});

await story.SceneAsync("4. receipts travel back encrypted: delivered to each device, then read on bob's phone", async () =>
{
    var fromAlice = bobPhone.Inbox().Where(i => i.Sender == "alice" && i.Kind == "text").Select(i => i.Timestamp).ToArray();
    await bobPhone.SendReadReceiptAsync("alice", fromAlice);
    await story.SettleAsync();
    story.See("alice phone", $"message {hello}: " + string.Join(", ", alicePhone.Receipts().Where(r => r.Timestamp == hello).Select(r => $"{r.Kind} by {r.From}.{r.FromDevice}")));
});

Guid weekend = Guid.Empty;
await story.SceneAsync("5. a group of three: alice's sender key goes over the 1:1 sessions, then each message is encrypted once", async () =>
{
    weekend = await alicePhone.CreateGroupAsync("weekend", ["bob", "carol"]);
    await story.SettleAsync();
    await alicePhone.SendGroupTextAsync(weekend, "Hiking on Saturday?");
    await story.SettleAsync();
    await bobPhone.SendGroupTextAsync(weekend, "I'm in!");
    await story.SettleAsync();
});

await story.SceneAsync("6. carol is removed: alice rotates her sender key, bob rotates his before his next message", async () =>
{
    await alicePhone.RemoveGroupMemberAsync(weekend, "carol");
    await story.SettleAsync();
    var (_, secret) = await alicePhone.SendGroupTextAsync(weekend, "Surprise party for carol, don't tell her!");
    await story.SettleAsync();
    await bobPhone.SendGroupTextAsync(weekend, "My lips are sealed.");
    await story.SettleAsync();
    story.See("carol", $"handed alice's new ciphertext anyway: {await carol.TryReadGroupCiphertextAsync(alicePhone.Address, secret)}");
});

MessengerDevice? aliceTablet = null;
await story.SceneAsync("7. alice links a tablet later; bob's next message finds it through the relay's 409 and repairs itself", async () =>
{
    aliceTablet = story.Track("alice tablet", await alicePhone.LinkDeviceAsync(Path.Combine(root, "alice-tablet")));
    aliceTablet.Connect();
    await bobPhone.SendTextAsync("alice", "Did your new tablet get this?");
    await story.SettleAsync();
});

await story.SceneAsync("8. bob's laptop app runs as its own process, is killed (SIGKILL) mid-burst and restarted from its SQLite files", async () =>
{
    string laptopDirectory = bobLaptop.Directory;
    int before = bobLaptop.Inbox().Count;
    story.Untrack(bobLaptop);
    await bobLaptop.DisposeAsync();
    const int Burst = 25;
    int target = before + Burst;

    using (var first = Story.StartDeviceProcess(laptopDirectory, target))
    {
        int shown = 0;
        var enough = new TaskCompletionSource();
        first.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("text ", StringComparison.Ordinal) == true && Interlocked.Increment(ref shown) == 8)
            {
                enough.TrySetResult();
            }
        };
        first.BeginOutputReadLine();
        await Story.WaitAsync(() => relay.IsConnected("bob", 2));
        var burst = Task.Run(async () =>
        {
            for (int i = 1; i <= Burst; i++)
            {
                await alicePhone.SendTextAsync("bob", $"burst #{i}");
                await Task.Delay(40);
            }
        });
        try
        {
            await enough.Task.WaitAsync(Story.Patience);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
        }

        await first.WaitForExitAsync();
        story.See("bob laptop", $"process {first.Id} killed with SIGKILL mid-burst");
        await burst;
    }

    int recordedBeforeCrash;
    await using (var inspected = MessengerDevice.Open(laptopDirectory))
    {
        recordedBeforeCrash = inspected.Inbox().Count(i => i.Body.StartsWith("burst #", StringComparison.Ordinal));
    }

    story.See("bob laptop", $"its SQLite file had recorded {recordedBeforeCrash} of the {Burst} when it died");

    story.Server.Add(await story.MailboxSummaryAsync("while bob's laptop is dead"));
    using (var second = Story.StartDeviceProcess(laptopDirectory, target))
    {
        int shown = 0;
        second.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("text ", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref shown);
            }
        };
        second.BeginOutputReadLine();
        try
        {
            await second.WaitForExitAsync().WaitAsync(Story.Patience);
        }
        finally
        {
            if (!second.HasExited)
            {
                second.Kill(entireProcessTree: true);
            }
        }

        story.See("bob laptop", $"restarted as process {second.Id} from the same files: received the other {Volatile.Read(ref shown)}");
    }

    await using var reopened = MessengerDevice.Open(laptopDirectory);
    var burstSeen = reopened.Inbox().Where(i => i.Body.StartsWith("burst #", StringComparison.Ordinal)).Select(i => i.Body).ToArray();
    bool inOrder = burstSeen.SequenceEqual(Enumerable.Range(1, Burst).Select(i => $"burst #{i}"));
    story.See("bob laptop", $"now holds {burstSeen.Length} burst messages, {burstSeen.Distinct().Count()} distinct, {(inOrder ? "in order" : "OUT OF ORDER")}: none lost, none twice");
    await story.SettleAsync();
    story.Server.Add(await story.MailboxSummaryAsync("after the restart"));
});

await story.DisposeAsync();
try
{
    Directory.Delete(root, recursive: true);
}
catch (IOException)
{
}

Console.WriteLine();
Console.WriteLine("Everything above went through the relay as ciphertext; it never held a key that could read it.");
