using System.Text.Json.Nodes;

namespace SignalSharp.TestSupport.Interop;

/// <summary>A protocol address (user name, device id 1..127).</summary>
public readonly record struct DriverAddress(string Name, int Device)
{
    /// <summary>The address as a driver-protocol JSON object.</summary>
    public JsonObject ToJson() => new() { ["name"] = Name, ["device"] = Device };

    /// <inheritdoc />
    public override string ToString() => $"{Name}.{Device}";
}
