using System.Diagnostics;
using SignalSharp.Messenger;
using SignalSharp.Relay;

namespace SignalSharp.Demo;

/// <summary>
/// End-to-end throughput over the loopback relay (docs/benchmarks.md, "Relay end to end"): 20 devices (10 users
/// with two devices each, every device on its own SQLite store at full durability). Every user's first device sends
/// a burst to the next user; a text counts as delivered when each of the recipient's two devices has recorded it
/// (decrypted, stored, acknowledged). Each text also produces a sync copy and two encrypted delivery receipts.
/// </summary>
internal static class RelayBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        int perSender = args.Length > 1 && int.TryParse(args[1], out int n) ? n : 50;
        const int Users = 10;
        string root = Path.Combine(Path.GetTempPath(), "signalsharp-relay-bench", Guid.NewGuid().ToString("N")[..8]);
        await using var relay = await RelayServer.StartAsync();
        var primaries = new List<MessengerDevice>();
        var all = new List<MessengerDevice>();
        try
        {
            for (int u = 0; u < Users; u++)
            {
                var first = await MessengerDevice.RegisterAsync(relay.BaseAddress, $"user{u}", Path.Combine(root, $"user{u}-1"));
                var second = await first.LinkDeviceAsync(Path.Combine(root, $"user{u}-2"));
                primaries.Add(first);
                all.Add(first);
                all.Add(second);
            }

            foreach (var device in all)
            {
                device.Connect();
            }

            // Warm-up: sessions and device lists in every direction used below, so the timed part is steady state.
            await Task.WhenAll(primaries.Select((d, u) => d.SendTextAsync($"user{(u + 1) % Users}", "warm-up")));
            await WaitForTextsAsync(all, 1, TimeSpan.FromMinutes(2));
            int baseline = all.Sum(d => d.Inbox().Count);

            var clock = Stopwatch.StartNew();
            await Task.WhenAll(primaries.Select((d, u) => Task.Run(async () =>
            {
                for (int i = 0; i < perSender; i++)
                {
                    await d.SendTextAsync($"user{(u + 1) % Users}", $"message {i}");
                }
            })));
            double sendSeconds = clock.Elapsed.TotalSeconds;
            await WaitForTextsAsync(all, 1 + perSender, TimeSpan.FromMinutes(5));
            double seconds = clock.Elapsed.TotalSeconds;

            int texts = Users * perSender;
            int recorded = all.Sum(d => d.Inbox().Count) - baseline;
            Console.WriteLine($"relay end to end, 20 devices (10 users x 2), SQLite full durability, {Environment.ProcessorCount} cores");
            Console.WriteLine($"texts sent:             {texts} ({perSender} per sender, 10 senders at once)");
            Console.WriteLine($"envelopes recorded:     {recorded} (2 recipient copies + 1 sync copy per text)");
            Console.WriteLine($"sending took            {sendSeconds:0.00} s");
            Console.WriteLine($"all recorded after      {seconds:0.00} s");
            Console.WriteLine($"texts/s end to end:     {texts / seconds:0.0}");
            Console.WriteLine($"envelopes/s recorded:   {recorded / seconds:0.0}");
        }
        finally
        {
            foreach (var device in all)
            {
                await device.DisposeAsync();
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Every first device has recorded <paramref name="perDevice"/> texts, every second device as many texts and as many sync copies.</summary>
    private static async Task WaitForTextsAsync(List<MessengerDevice> devices, int perDevice, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (devices.Any(d => d.Inbox().Count(i => i.Kind is "text" or "sync") < (d.Address.DeviceId == 1 ? perDevice : 2 * perDevice)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the benchmark did not drain");
            }

            await Task.Delay(20);
        }
    }
}
