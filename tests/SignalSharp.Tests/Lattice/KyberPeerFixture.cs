using System.Text.Json.Nodes;
using SignalSharp.TestSupport;

namespace SignalSharp.Tests.Lattice;

/// <summary>One tests/node/kyber.mjs process (crystals-kyber 5.1.0 and libsignal 0.103) shared by a test class.</summary>
public sealed class KyberPeerFixture : IDisposable
{
    private readonly Lazy<JsonLinesProcess> _peer = new(() => JsonLinesProcess.StartNode("kyber.mjs"));

    /// <summary>Sends a request to the peer and returns its ok response.</summary>
    public JsonObject Call(JsonObject request) => _peer.Value.Call(request);

    /// <summary>Sends a request and returns the response whether or not it succeeded.</summary>
    public JsonObject Send(JsonObject request) => _peer.Value.Send(request);

    public void Dispose()
    {
        if (_peer.IsValueCreated)
        {
            _peer.Value.Dispose();
        }
    }

    internal static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());
}
