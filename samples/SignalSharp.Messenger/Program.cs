// A messenger device in its own process, for a relay started with
//   dotnet run --project samples/SignalSharp.Relay -- --port 5080
// Usage (docs/relay.md):
//   register --relay http://127.0.0.1:5080/ --name alice --dir ./alice1
//   send     --dir ./alice1 --to bob --text "hi"
//   listen   --dir ./bob1 [--until <count>]      prints each message as it is recorded
using SignalSharp.Messenger;

var options = new Dictionary<string, string>();
for (int i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Need(string key) => options.TryGetValue(key, out var value) ? value : throw new ArgumentException($"--{key} is required");

switch (args.FirstOrDefault())
{
    case "register":
    {
        await using var device = await MessengerDevice.RegisterAsync(new Uri(Need("relay")), Need("name"), Need("dir"));
        Console.WriteLine($"registered {device.Address}");
        break;
    }

    case "send":
    {
        await using var device = MessengerDevice.Open(Need("dir"));
        ulong timestamp = await device.SendTextAsync(Need("to"), Need("text"));
        Console.WriteLine($"sent {timestamp}");
        break;
    }

    case "listen":
    {
        await using var device = MessengerDevice.Open(Need("dir"));
        int until = options.TryGetValue("until", out var u) ? int.Parse(u) : int.MaxValue;
        int shown = device.Inbox().Count;
        var done = new TaskCompletionSource();
        var sync = new object();
        device.Changed += d =>
        {
            lock (sync)
            {
                var inbox = d.Inbox();
                for (; shown < inbox.Count; shown++)
                {
                    Console.WriteLine($"{inbox[shown].Kind} {inbox[shown].Sender}.{inbox[shown].SenderDevice} {inbox[shown].Timestamp} {inbox[shown].Body}");
                }

                if (d.CaughtUp && inbox.Count >= until)
                {
                    done.TrySetResult();
                }
            }
        };
        Console.WriteLine($"listening as {device.Address}");
        device.Connect();

        await done.Task;
        break;
    }

    default:
        Console.Error.WriteLine("usage: register|send|listen (see the comment at the top of Program.cs)");
        return 2;
}

return 0;
