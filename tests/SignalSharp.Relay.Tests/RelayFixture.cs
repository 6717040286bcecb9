using SignalSharp.Messenger;

namespace SignalSharp.Relay.Tests;

/// <summary>A real loopback relay on a free port and a scratch folder for device databases; one per test.</summary>
public sealed class RelayHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<MessengerDevice> _devices = new();

    private RelayHarness(RelayServer relay, string root)
    {
        Relay = relay;
        Root = root;
    }

    public RelayServer Relay { get; }

    public string Root { get; }

    public static async Task<RelayHarness> StartAsync(RelayOptions? options = null)
    {
        string root = Path.Combine(Path.GetTempPath(), "signalsharp-relay-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new RelayHarness(await RelayServer.StartAsync(0, options), root);
    }

    public async Task<MessengerDevice> RegisterAsync(string name, bool connect = true)
    {
        var device = await MessengerDevice.RegisterAsync(Relay.BaseAddress, name, Path.Combine(Root, name + "1"));
        return Track(device, connect);
    }

    public async Task<MessengerDevice> LinkAsync(MessengerDevice existing, bool connect = true)
    {
        var device = await existing.LinkDeviceAsync(Path.Combine(Root, existing.Name + Guid.NewGuid().ToString("N")[..6]));
        return Track(device, connect);
    }

    public MessengerDevice Track(MessengerDevice device, bool connect = true)
    {
        _devices.Add(device);
        if (connect)
        {
            device.Connect();
        }

        return device;
    }

    public void Forget(MessengerDevice device) => _devices.Remove(device);

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices)
        {
            await device.DisposeAsync();
        }

        await Relay.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
