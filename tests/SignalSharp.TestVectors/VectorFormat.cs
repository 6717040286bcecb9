namespace SignalSharp.TestVectors;

/// <summary>Constants shared by every vector file (see docs/test-vectors/README.md).</summary>
internal static class VectorFormat
{
    /// <summary>The format name and version; a change to the meaning of a field bumps the version.</summary>
    public const string Name = "signalsharp-protocol-vector/1";

    /// <summary>The one-line reminder of how randomness is produced, repeated in each file.</summary>
    public const string RandomnessNote =
        "each party draws from its own stream SHA-256(seed || BE64(0)) || SHA-256(seed || BE64(1)) || ..., consumed front to back; every draw is listed in the step that made it";
}
