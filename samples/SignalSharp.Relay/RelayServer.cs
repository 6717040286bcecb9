using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SignalSharp.Relay.Accounts;
using SignalSharp.Relay.Api;
using SignalSharp.Relay.Mailbox;

namespace SignalSharp.Relay;

/// <summary>
/// The relay, hosted on Kestrel on the loopback interface: HTTP for accounts, devices, pre-keys and sends, a
/// WebSocket per device for delivery (docs/relay.md). It stores public keys, device lists and ciphertext only.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RelayState _state;

    private RelayServer(WebApplication app, RelayState state, Uri baseAddress)
    {
        _app = app;
        _state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>The address clients use, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The account directory the relay runs on.</summary>
    public IAccountDirectory Accounts => _state.Accounts;

    /// <summary>The pre-key directory the relay runs on.</summary>
    public IPreKeyDirectory Keys => _state.Keys;

    /// <summary>The mailboxes the relay runs on.</summary>
    public IMailboxStore Mailboxes => _state.Mailboxes;

    /// <summary>The limits in force.</summary>
    public RelayOptions Options => _state.Options;

    /// <summary>
    /// Called with one line per accepted or refused state change (registrations, sends with their envelope sizes,
    /// 409/410 refusals, removals): routing metadata only, as an operator's log would show it.
    /// </summary>
    public Action<string>? Observer
    {
        get => _state.Observer;
        set => _state.Observer = value;
    }

    /// <summary>Whether a device has a delivery connection open right now.</summary>
    public bool IsConnected(string name, int deviceId) => _state.Connections.IsConnected(new DeviceKey(name, deviceId));

    /// <summary>Starts a relay on 127.0.0.1.</summary>
    /// <param name="port">The TCP port; 0 picks a free one.</param>
    /// <param name="options">The limits; the defaults when null.</param>
    /// <param name="accounts">The account directory; in memory when null.</param>
    /// <param name="keys">The pre-key directory; in memory when null.</param>
    /// <param name="mailboxes">The mailboxes; in memory when null.</param>
    /// <param name="logRequests">Whether to log to the console (the stand-alone relay does; embedded ones stay quiet).</param>
    public static async Task<RelayServer> StartAsync(int port = 0, RelayOptions? options = null, IAccountDirectory? accounts = null, IPreKeyDirectory? keys = null, IMailboxStore? mailboxes = null, bool logRequests = false)
    {
        options ??= new RelayOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logRequests)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestLineSize = 4 * 1024;
            kestrel.AddServerHeader = false;
        });

        var app = builder.Build();
        var state = new RelayState(options, accounts ?? new InMemoryAccountDirectory(), keys ?? new InMemoryPreKeyDirectory(), mailboxes ?? new InMemoryMailboxStore(), new ConnectionRegistry());
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        new HttpApi(state).Map(app);
        new DeliverySocket(state).Map(app);
        await app.StartAsync().ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RelayServer(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Blocks until the host shuts down (Ctrl+C for the stand-alone relay).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Stops the host and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
