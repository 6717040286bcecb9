using SignalSharp.Concurrency;
using Xunit;

namespace SignalSharp.Tests.Concurrency;

public class AsyncKeyedLockTests
{
    [Fact]
    public async Task SameKeyWaitsForTheHolder()
    {
        var locks = new AsyncKeyedLock<string>();
        var held = await locks.AcquireAsync("a", CancellationToken.None);
        var waiting = locks.AcquireAsync("a", CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        held.Dispose();
        (await waiting).Dispose();
        Assert.Equal(0, locks.ActiveKeys);
    }

    [Fact]
    public async Task DifferentKeysDoNotWaitOnEachOther()
    {
        var locks = new AsyncKeyedLock<string>();
        using var a = await locks.AcquireAsync("a", CancellationToken.None);
        var b = locks.AcquireAsync("b", CancellationToken.None);
        Assert.True(b.IsCompleted);
        (await b).Dispose();
        Assert.Equal(1, locks.ActiveKeys);
    }

    [Fact]
    public async Task CancelledWaiterLeavesNoEntryBehind()
    {
        var locks = new AsyncKeyedLock<string>();
        var held = await locks.AcquireAsync("a", CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = locks.AcquireAsync("a", cts.Token).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        Assert.Equal(0, locks.ActiveKeys);
    }

    [Fact]
    public async Task ManyConcurrentHoldersRunOneAtATime()
    {
        var locks = new AsyncKeyedLock<int>();
        int inside = 0;
        int maxInside = 0;
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            using var held = await locks.AcquireAsync(7, CancellationToken.None);
            int now = Interlocked.Increment(ref inside);
            maxInside = Math.Max(maxInside, now);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        })));
        Assert.Equal(1, maxInside);
        Assert.Equal(0, locks.ActiveKeys);
    }
}
