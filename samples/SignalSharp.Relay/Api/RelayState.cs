using SignalSharp.Relay.Accounts;
using SignalSharp.Relay.Mailbox;

namespace SignalSharp.Relay.Api;

/// <summary>What the endpoints share: the options, the three stores and the live connections.</summary>
internal sealed record RelayState(RelayOptions Options, IAccountDirectory Accounts, IPreKeyDirectory Keys, IMailboxStore Mailboxes, ConnectionRegistry Connections)
{
    /// <summary>Receives one line per state change (the demo prints them; metadata only, never content).</summary>
    public Action<string>? Observer { get; set; }

    public void Report(string line) => Observer?.Invoke(line);
}
