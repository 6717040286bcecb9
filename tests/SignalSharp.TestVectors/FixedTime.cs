namespace SignalSharp.TestVectors;

/// <summary>The vectors' clock: always 2026-01-01T00:00:00Z (only pre-key timestamps and the pending-session age read it).</summary>
internal sealed class FixedTime : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly FixedTime Instance = new();

    public static ulong NowMilliseconds => (ulong)Now.ToUnixTimeMilliseconds();

    public override DateTimeOffset GetUtcNow() => Now;
}
