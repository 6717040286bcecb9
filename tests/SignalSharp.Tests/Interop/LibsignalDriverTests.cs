using SignalSharp.TestSupport.Interop;
using Xunit;
using static SignalSharp.TestSupport.Interop.PairingHarness;

namespace SignalSharp.Tests.Interop;

/// <summary>Behaviour specific to the Node libsignal driver (its protocol extensions).</summary>
[Trait("Category", "Interop")]
public sealed class LibsignalDriverTests
{
    [Fact]
    public void LastResortKyberPreKey_ServesSeveralInitiators()
    {
        using var h = Start(DriverKind.Libsignal, DriverKind.Libsignal);
        var bob = h.CreateRight();
        var bundle = DriverBundle.FromJson(h.Right.Invoke("bundle", new() { ["client"] = bob.Handle, ["kyberLastResort"] = true }));
        for (int i = 0; i < 3; i++)
        {
            var initiator = h.CreateLeft();
            initiator.Driver.ProcessBundle(initiator.Handle, bob.Address, bundle);
            h.RoundTrip(initiator, bob, $"initiator {i}");
            h.RoundTrip(bob, initiator, $"reply {i}");
        }
    }
}
