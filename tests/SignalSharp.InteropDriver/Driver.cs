using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalSharp.InteropDriver;

/// <summary>
/// Dispatches requests to op handlers. Handlers live in partial-class files: <c>SessionOps.cs</c> registers
/// the 1:1 ops; another file can register more (group ops, fingerprints) by implementing
/// <see cref="RegisterMoreOps"/> and overwriting entries in <see cref="_ops"/>.
/// Every request runs against snapshots of all clients, restored when it fails, so a failed request
/// changes no state.
/// </summary>
internal sealed partial class Driver
{
    /// <summary>Plain output: base64 '+' and quotes in messages need no \u escapes on a JSON-lines pipe.</summary>
    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, Func<JsonObject, Task<JsonObject>>> _ops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DriverClient> _clients = new(StringComparer.Ordinal);
    private readonly TextWriter _log;

    public Driver(TextWriter log)
    {
        _log = log;
        RegisterSessionOps();
        RegisterMoreOps();
        RegisterSealedOps();
    }

    /// <summary>Handles one request line; returns the response line and whether to quit.</summary>
    public async Task<(string Response, bool Quit)> HandleAsync(string line)
    {
        JsonObject request;
        try
        {
            request = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("request must be a JSON object");
        }
        catch (JsonException e)
        {
            return (Failure(null, "BadRequest", "not a JSON object: " + e.Message), false);
        }

        JsonNode? id = request["id"]?.DeepClone();
        string? op = request["op"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        if (op == "quit")
        {
            // Close SQLite stores so their files are complete and unlocked when the process ends.
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            return (Success(id, []), true);
        }

        if (op is null || !_ops.TryGetValue(op, out var handler))
        {
            return (Failure(id, "BadRequest", $"unknown op {request["op"]?.ToJsonString() ?? "null"}"), false);
        }

        var snapshots = _clients.ToDictionary(c => c.Key, c => c.Value.Snapshot());
        try
        {
            var result = await handler(request);
            return (Success(id, result), false);
        }
        catch (Exception e)
        {
            // Roll back: drop clients the request created, restore the others.
            foreach (var handle in _clients.Keys.Where(h => !snapshots.ContainsKey(h)).ToList())
            {
                _clients[handle].Dispose();
                _clients.Remove(handle);
            }

            foreach (var (handle, snapshot) in snapshots)
            {
                _clients[handle].Restore(snapshot);
            }

            string kind = ErrorKinds.For(op, e);
            if (kind == "Internal")
            {
                _log.WriteLine($"[signalsharp-driver] internal error in {op}: {e}");
            }
            else
            {
                _log.WriteLine($"[signalsharp-driver] {op} failed: {kind} ({e.GetType().Name}) {e.Message}{(e.InnerException is { } inner ? " <- " + inner.Message : string.Empty)}");
            }

            return (Failure(id, kind, e.Message), false);
        }
    }

    private DriverClient Client(JsonObject request)
    {
        string handle = Args.String(request, "client");
        return _clients.TryGetValue(handle, out var client) ? client : throw new DriverException("UnknownClient", $"no client \"{handle}\"");
    }

    /// <summary>Implemented by another op file to add or replace handlers.</summary>
    partial void RegisterMoreOps();

    /// <summary>The driver protocol v2 ops (SealedOps.cs).</summary>
    partial void RegisterSealedOps();

    private static string Success(JsonNode? id, JsonObject result)
    {
        var response = new JsonObject { ["id"] = id, ["ok"] = true };
        foreach (var (key, value) in result.ToList())
        {
            result.Remove(key);
            response[key] = value;
        }

        return response.ToJsonString(Output);
    }

    private static string Failure(JsonNode? id, string kind, string message)
        => new JsonObject { ["id"] = id, ["ok"] = false, ["error"] = kind, ["message"] = message }.ToJsonString(Output);
}
