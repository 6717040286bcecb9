namespace SignalSharp.InteropDriver;

/// <summary>The session ops keep all their state in <see cref="DriverStore"/>; nothing extra to snapshot yet.</summary>
internal sealed partial class DriverClient
{
    private partial object? SnapshotExtra() => null;

    private partial void RestoreExtra(object? snapshot)
    {
    }
}
