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
    public const bool SignalSharpDriverEnabled = true;

    /// <summary>
    /// Flip to true once the SignalSharp driver implements the sender-key ops (GroupOps.cs): adds the mixed
    /// pairings to <see cref="Groups"/> and the group part of the garbage scenario.
    /// </summary>
    public const bool SignalSharpGroupOpsEnabled = true;

    /// <summary>Flip to true once the SignalSharp driver implements the fingerprint op.</summary>
    public const bool SignalSharpFingerprintOpsEnabled = true;

    /// <summary>Every pairing under test: (libsignal, libsignal) validates the scenarios and the Node driver.</summary>
    public static TheoryData<DriverKind, DriverKind> All => Pairs(SignalSharpDriverEnabled);

    /// <summary>The pairings for sender-key scenarios.</summary>
    public static TheoryData<DriverKind, DriverKind> Groups => Pairs(SignalSharpDriverEnabled && SignalSharpGroupOpsEnabled);

    /// <summary>The pairings for fingerprint scenarios.</summary>
    public static TheoryData<DriverKind, DriverKind> Fingerprints => Pairs(SignalSharpDriverEnabled && SignalSharpFingerprintOpsEnabled);

    /// <summary>True when <paramref name="kind"/>'s driver answers the sender-key ops.</summary>
    public static bool SupportsGroups(DriverKind kind) => kind == DriverKind.Libsignal || SignalSharpGroupOpsEnabled;

    private static TheoryData<DriverKind, DriverKind> Pairs(bool withSignalSharp)
    {
        var data = new TheoryData<DriverKind, DriverKind> { { DriverKind.Libsignal, DriverKind.Libsignal } };
        if (withSignalSharp)
        {
            data.Add(DriverKind.SignalSharp, DriverKind.Libsignal);
            data.Add(DriverKind.Libsignal, DriverKind.SignalSharp);
            data.Add(DriverKind.SignalSharp, DriverKind.SignalSharp);
        }

        return data;
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
