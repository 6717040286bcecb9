using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SignalSharp.InteropDriver;

/// <summary>Typed access to request fields; every malformed field is a BadRequest.</summary>
internal static partial class Args
{
    public static JsonNode Required(JsonObject request, string field)
        => request[field] ?? throw DriverException.BadRequest($"missing field \"{field}\"");

    public static string String(JsonObject request, string field)
        => Required(request, field) is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw DriverException.BadRequest($"\"{field}\" must be a string");

    public static long Int(JsonNode node, string field, long min, long max)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out long value) && value >= min && value <= max)
        {
            return value;
        }

        if (node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue<double>(out double dv) && dv == Math.Floor(dv) && dv >= min && dv <= max)
        {
            return (long)dv;
        }

        throw DriverException.BadRequest($"\"{field}\" must be an integer in {min}..{max}");
    }

    public static long Int(JsonObject request, string field, long min, long max) => Int(Required(request, field), field, min, max);

    public static long? OptionalInt(JsonObject request, string field, long min, long max)
        => request[field] is { } node ? Int(node, field, min, max) : null;

    public static byte[] Base64(JsonNode? node, string field)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && Base64Pattern().IsMatch(v.GetValue<string>()))
        {
            return Convert.FromBase64String(v.GetValue<string>());
        }

        throw DriverException.BadRequest($"\"{field}\" must be standard base64 with padding");
    }

    public static byte[] Bytes(JsonObject request, string field) => Base64(Required(request, field), field);

    public static ProtocolAddress Address(JsonObject request, string field)
    {
        if (Required(request, field) is not JsonObject obj)
        {
            throw DriverException.BadRequest($"\"{field}\" must be an address object");
        }

        string name = String(obj, "name");
        if (name.Length == 0)
        {
            throw DriverException.BadRequest($"\"{field}.name\" must not be empty");
        }

        return new ProtocolAddress(name, (int)Int(obj, "device", ProtocolAddress.MinDeviceId, ProtocolAddress.MaxDeviceId));
    }

    [GeneratedRegex("^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    private static partial Regex Base64Pattern();
}
