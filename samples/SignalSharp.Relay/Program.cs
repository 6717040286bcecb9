// The relay on its own, for clients in other processes (docs/relay.md):
//   dotnet run --project samples/SignalSharp.Relay -- --port 5080
using SignalSharp.Relay;

int port = 5080;
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port" && int.TryParse(args[i + 1], out int parsed))
    {
        port = parsed;
    }
}

await using var relay = await RelayServer.StartAsync(port);
relay.Observer = line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
Console.WriteLine($"SignalSharp relay listening on {relay.BaseAddress} (loopback only; Ctrl+C stops it)");
await relay.WaitForShutdownAsync();
