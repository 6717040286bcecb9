using SignalSharp.TestSupport.Interop;
using Xunit;

namespace SignalSharp.Tests.Interop;

/// <summary>
/// The one place that decides which implementation pairings every interop scenario runs against.
/// Each scenario runs once per (left, right) pair; left and right are separate driver processes.
/// </summary>
public static class InteropPairs
{
    /// <summary>
    /// Flip to true once tests/SignalSharp.InteropDriver exists and builds (it is then started from
    /// tests/SignalSharp.InteropDriver/bin/&lt;Configuration&gt;/net10.0/). This is the one-line change that adds the
    /// SignalSharp↔libsignal and SignalSharp↔SignalSharp pairings to every interop scenario.
    /// </summary>
    public const bool SignalSharpDriverEnabled = false;

    /// <summary>Every pairing under test: (libsignal, libsignal) validates the scenarios and the Node driver.</summary>
    public static TheoryData<DriverKind, DriverKind> All
    {
        get
        {
            var data = new TheoryData<DriverKind, DriverKind> { { DriverKind.Libsignal, DriverKind.Libsignal } };
#pragma warning disable CS0162 // Unreachable while the SignalSharp driver is disabled.
            if (SignalSharpDriverEnabled)
            {
                data.Add(DriverKind.SignalSharp, DriverKind.Libsignal);
                data.Add(DriverKind.Libsignal, DriverKind.SignalSharp);
                data.Add(DriverKind.SignalSharp, DriverKind.SignalSharp);
            }
#pragma warning restore CS0162

            return data;
        }
    }

    /// <summary>Every implementation whose driver is under test on its own (protocol conformance).</summary>
    public static TheoryData<DriverKind> Kinds
    {
        get
        {
            var data = new TheoryData<DriverKind> { DriverKind.Libsignal };
#pragma warning disable CS0162 // Unreachable while the SignalSharp driver is disabled.
            if (SignalSharpDriverEnabled)
            {
                data.Add(DriverKind.SignalSharp);
            }
#pragma warning restore CS0162

            return data;
        }
    }
}
