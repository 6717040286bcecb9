using System.Diagnostics;
using SignalSharp.Messenger;
using SignalSharp.Relay;

namespace SignalSharp.Demo;

/// <summary>Runs the scenes and prints, side by side, what the devices show and what the relay saw.</summary>
internal sealed class Story(RelayServer relay) : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const int LeftWidth = 58;
    private const int RightWidth = 70;

    private readonly List<(string Label, MessengerDevice Device)> _devices = new();
    private readonly Dictionary<MessengerDevice, (int Inbox, int Receipts)> _shown = new();
    private readonly List<string> _users = new();
    private readonly List<string> _relayLines = new();

    public List<string> Server { get; } = new();

    public IEnumerable<MessengerDevice> Devices => _devices.Select(d => d.Device);

    public MessengerDevice Track(string label, MessengerDevice device)
    {
        _devices.Add((label, device));
        _shown[device] = (0, 0);
        return device;
    }

    public void Untrack(MessengerDevice device) => _devices.RemoveAll(d => d.Device == device);

    public void See(string who, string what) => _users.Add($"{who}: {what}");

    public async Task SceneAsync(string title, Func<Task> act)
    {
        relay.Observer = line =>
        {
            lock (_relayLines)
            {
                _relayLines.Add(line);
            }
        };
        await act();
        CollectDeviceViews();
        List<string> server;
        lock (_relayLines)
        {
            server = Condense(_relayLines).Concat(Server).ToList();
            _relayLines.Clear();
        }

        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine(new string('-', LeftWidth) + "-+-" + new string('-', RightWidth));
        Console.WriteLine($"{"what the devices show",-LeftWidth} | what the relay stored / refused");
        Console.WriteLine(new string('-', LeftWidth) + "-+-" + new string('-', RightWidth));
        var left = _users.SelectMany(l => Wrap(l, LeftWidth)).ToList();
        var right = server.SelectMany(l => Wrap(l, RightWidth)).ToList();
        for (int i = 0; i < Math.Max(left.Count, right.Count); i++)
        {
            Console.WriteLine($"{(i < left.Count ? left[i] : ""),-LeftWidth} | {(i < right.Count ? right[i] : "")}");
        }

        _users.Clear();
        Server.Clear();
    }

    /// <summary>Waits until every connected device's mailbox stays empty for a moment (receipts cause more sends).</summary>
    public async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        int quiet = 0;
        while (quiet < 4 && DateTime.UtcNow < deadline)
        {
            bool empty = true;
            foreach (var (_, device) in _devices.Where(d => d.Device.IsConnected))
            {
                empty &= (await relay.Mailboxes.SizeAsync(new DeviceKey(device.Name, device.Address.DeviceId))).Count == 0;
            }

            quiet = empty ? quiet + 1 : 0;
            await Task.Delay(50);
        }
    }

    public async Task<string> MailboxSummaryAsync(string when)
    {
        var parts = new List<string>();
        foreach (var account in await relay.Accounts.ListAsync())
        {
            foreach (var device in account.Devices)
            {
                var (count, bytes) = await relay.Mailboxes.SizeAsync(new DeviceKey(account.Name, device.DeviceId));
                if (count > 0)
                {
                    parts.Add($"{account.Name}.{device.DeviceId}: {count} envelopes, {bytes} B");
                }
            }
        }

        return $"mailboxes {when}: " + (parts.Count == 0 ? "all empty" : string.Join("; ", parts));
    }

    public async Task<string> KeySummaryAsync()
    {
        var parts = new List<string>();
        foreach (var account in await relay.Accounts.ListAsync())
        {
            foreach (var device in account.Devices)
            {
                var counts = await relay.Keys.CountAsync(new DeviceKey(account.Name, device.DeviceId));
                parts.Add($"{account.Name}.{device.DeviceId} ({counts.OneTimePreKeys}+{counts.KyberPreKeys})");
            }
        }

        return "directory (one-time EC + Kyber keys left): " + string.Join(", ", parts);
    }

    public static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    public static Process StartDeviceProcess(string directory, int until)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "SignalSharp.Messenger.dll"), "listen", "--dir", directory, "--until", until.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, device) in _devices)
        {
            await device.DisposeAsync();
        }
    }

    private void CollectDeviceViews()
    {
        foreach (var (label, device) in _devices)
        {
            var (inboxShown, receiptsShown) = _shown[device];
            var inbox = device.Inbox();
            var fresh = inbox.Skip(inboxShown).Select(item => Describe(label, device, item)).ToList();
            // Long runs (the burst) are shortened to their ends.
            _users.AddRange(fresh.Count <= 5 ? fresh : [fresh[0], fresh[1], $"{label}: ... {fresh.Count - 3} more ...", fresh[^1]]);

            var receipts = device.Receipts().Skip(receiptsShown).ToList();
            if (receipts.Count > 0)
            {
                _users.Add($"{label}: receipts " + string.Join("; ", receipts.GroupBy(r => r.Kind).Select(k =>
                    k.Key + " " + string.Join(", ", k.GroupBy(r => $"{r.From}.{r.FromDevice}").Select(g => g.Count() == 1 ? g.Key : $"{g.Key} x{g.Count()}")))));
            }

            _shown[device] = (inbox.Count, receiptsShown + receipts.Count);
        }
    }

    private static string Describe(string label, MessengerDevice device, InboxItem item) => item.Kind switch
    {
        "text" => $"{label} <- {item.Sender}.{item.SenderDevice}: \"{item.Body}\"",
        "sync" => $"{label} (own device {item.SenderDevice} sent to {Conversation(device, item.Conversation)}): \"{item.Body}\"",
        "group" => $"{label} <- {item.Sender}.{item.SenderDevice} in {Conversation(device, item.Conversation)}: \"{item.Body}\"",
        _ => $"{label}: group update from {item.Sender}: {item.Body}",
    };

    /// <summary>Identical sends (same route, same envelope kinds) are counted instead of repeated.</summary>
    private static List<string> Condense(List<string> lines)
    {
        var order = new List<string>();
        var counts = new Dictionary<string, int>();
        foreach (string line in lines)
        {
            string key = line.Contains(": queued ", StringComparison.Ordinal)
                ? System.Text.RegularExpressions.Regex.Replace(line, @" [0-9a-f]{8}\.\.", "")
                : line;
            if (counts.TryGetValue(key, out int n))
            {
                counts[key] = n + 1;
            }
            else
            {
                counts[key] = 1;
                order.Add(key);
            }
        }

        return order.Select(k => counts[k] == 1 ? k : $"{k}  (x{counts[k]})").ToList();
    }

    private static string Conversation(MessengerDevice device, string conversation)
        => conversation.StartsWith("group:", StringComparison.Ordinal) && Guid.TryParse(conversation["group:".Length..], out var id) && device.Group(id) is { } group
            ? $"\"{group.Title}\""
            : conversation;

    private static IEnumerable<string> Wrap(string line, int width)
    {
        yield return line[..Math.Min(width, line.Length)];
        for (int start = width; start < line.Length; start += width - 2)
        {
            yield return "  " + line.Substring(start, Math.Min(width - 2, line.Length - start));
        }
    }
}
