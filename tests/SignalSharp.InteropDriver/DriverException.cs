namespace SignalSharp.InteropDriver;

/// <summary>A failure the driver reports with an explicit error kind (BadRequest, UnknownClient, …).</summary>
internal sealed class DriverException(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;

    public static DriverException BadRequest(string message) => new("BadRequest", message);
}
