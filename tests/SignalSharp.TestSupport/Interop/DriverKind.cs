namespace SignalSharp.TestSupport.Interop;

/// <summary>Which implementation an interop driver process hosts.</summary>
public enum DriverKind
{
    /// <summary>The official libsignal 0.103 through tests/node/libsignal-driver.mjs (the reference peer).</summary>
    Libsignal,

    /// <summary>SignalSharp through the console app tests/SignalSharp.InteropDriver.</summary>
    SignalSharp,
}
