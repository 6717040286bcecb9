using System.Text.Json.Nodes;
using SignalSharp.Diagnostics;

namespace SignalSharp.TestVectors;

/// <summary>
/// Collects the steps of one vector: for the step in progress, the random draws its party made and the
/// intermediates the library reported through <see cref="ProtocolTrace"/>.
/// </summary>
internal sealed class VectorRecorder : IProtocolTraceSink
{
    private readonly JsonArray _steps = [];
    private JsonObject? _step;
    private string? _party;
    private JsonArray? _random;
    private JsonArray? _trace;

    public JsonArray Steps => _steps;

    /// <summary>Starts a step of <paramref name="party"/>; every draw and intermediate until the next call belongs to it.</summary>
    public JsonObject Begin(string party, string action)
    {
        End();
        _party = party;
        _random = [];
        _trace = [];
        _step = new JsonObject
        {
            ["step"] = _steps.Count + 1,
            ["party"] = party,
            ["action"] = action,
        };
        _steps.Add(_step);
        return _step;
    }

    /// <summary>Closes the current step, attaching its draws and intermediates (when there are any).</summary>
    public void End()
    {
        if (_step is null)
        {
            return;
        }

        if (_random!.Count > 0)
        {
            _step["random"] = _random;
        }

        if (_trace!.Count > 0)
        {
            _step["trace"] = _trace;
        }

        _step = null;
        _party = null;
    }

    public void RecordDraw(string party, long offset, ReadOnlySpan<byte> bytes)
    {
        if (_step is null || party != _party)
        {
            // A draw outside its party's step would make the vector unreplayable: fail generation loudly.
            throw new InvalidOperationException($"random draw by {party} outside one of its steps (current: {_party ?? "none"})");
        }

        _random!.Add(new JsonObject { ["offset"] = offset, ["length"] = bytes.Length, ["value"] = Hex.Of(bytes) });
    }

    public void Record(string name, ReadOnlySpan<byte> value) =>
        CurrentTrace(name).Add(new JsonObject { ["name"] = name, ["value"] = Hex.Of(value) });

    public void Record(string name, ulong value) =>
        CurrentTrace(name).Add(new JsonObject { ["name"] = name, ["value"] = value });

    private JsonArray CurrentTrace(string name) =>
        _trace ?? throw new InvalidOperationException($"intermediate {name} reported outside a step");
}
