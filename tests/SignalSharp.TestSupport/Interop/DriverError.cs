namespace SignalSharp.TestSupport.Interop;

/// <summary>A driver answered a request with <c>ok: false</c>.</summary>
public sealed class DriverError : Exception
{
    /// <summary>Creates the exception.</summary>
    public DriverError(DriverKind driver, string op, string kind, string driverMessage, string stderrTail)
        : base($"{driver} driver failed {op}: {kind}: {driverMessage}" + (stderrTail.Length == 0 ? string.Empty : "\nstderr (tail):\n" + stderrTail))
    {
        Driver = driver;
        Op = op;
        Kind = kind;
        DriverMessage = driverMessage;
    }

    /// <summary>The implementation that failed.</summary>
    public DriverKind Driver { get; }

    /// <summary>The operation that failed.</summary>
    public string Op { get; }

    /// <summary>The error kind (see <see cref="DriverErrorKind"/>).</summary>
    public string Kind { get; }

    /// <summary>The driver's human-readable message.</summary>
    public string DriverMessage { get; }
}
