using SignalSharp.TestSupport.Interop;
using Xunit;

namespace SignalSharp.Tests.Interop;

/// <summary>Assertions on driver failures.</summary>
internal static class DriverAssert
{
    /// <summary>The action fails with exactly <paramref name="kind"/>.</summary>
    public static DriverError Fails(string kind, Action action)
    {
        var error = Assert.Throws<DriverError>(action);
        Assert.True(error.Kind == kind, $"expected {kind}, got {error.Kind}: {error.Message}");
        return error;
    }

    /// <summary>The action fails with one of <paramref name="kinds"/> (never Internal).</summary>
    public static DriverError FailsWithOneOf(string[] kinds, Action action)
    {
        var error = Assert.Throws<DriverError>(action);
        Assert.NotEqual(DriverErrorKind.Internal, error.Kind);
        Assert.True(kinds.Contains(error.Kind), $"expected one of {string.Join(", ", kinds)}, got {error.Kind}: {error.Message}");
        return error;
    }
}
