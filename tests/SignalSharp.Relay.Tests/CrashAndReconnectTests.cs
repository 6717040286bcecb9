using System.Diagnostics;
using SignalSharp.Messenger;
using Xunit;

namespace SignalSharp.Relay.Tests;

public sealed class CrashAndReconnectTests
{
    private static readonly TimeSpan Patience = RelayHarness.Patience;

    [Fact]
    public async Task Connections_dropped_mid_delivery_lose_and_duplicate_nothing_for_the_user()
    {
        await using var h = await RelayHarness.StartAsync(new RelayOptions { MaxInFlightPerConnection = 4 });
        var alice = await h.RegisterAsync("alice");
        var bob = await h.RegisterAsync("bob");
        int batches = 0;
        // Every third batch is recorded and then the connection drops before the acknowledgement goes out, so the
        // relay redelivers envelopes bob has already shown.
        bob.FaultBeforeAcknowledge = () => Interlocked.Increment(ref batches) % 3 == 0;

        var expected = new List<string>();
        for (int i = 0; i < 60; i++)
        {
            expected.Add($"burst {i}");
            await alice.SendTextAsync("bob", expected[^1]);
            if (i % 15 == 7)
            {
                bob.DropConnection();
            }
        }

        await bob.WaitUntilAsync(d => d.Inbox().Count >= 60, Patience);
        bob.FaultBeforeAcknowledge = null;
        await DeliveryTests.WaitForEmptyMailboxAsync(h, "bob", 1);
        Assert.True(Volatile.Read(ref batches) >= 3, "the fault never fired");
        Assert.Equal(expected, bob.Inbox().Select(i => i.Body));
    }

    [Fact]
    public async Task A_client_process_killed_during_a_burst_restarts_from_its_sqlite_store_without_losing_or_repeating_a_message()
    {
        await using var h = await RelayHarness.StartAsync();
        var alice = await h.RegisterAsync("alice");
        string bobDirectory;
        await using (var bob = await MessengerDevice.RegisterAsync(h.Relay.BaseAddress, "bob", Path.Combine(h.Root, "bob-process")))
        {
            bobDirectory = bob.Directory;
        }

        const int Count = 120;
        var expected = Enumerable.Range(0, Count).Select(i => $"burst {i}").ToList();
        using var first = StartListener(bobDirectory, Count);
        using var killFirstOnFailure = new ProcessReaper(first);
        var seenBeforeKill = new TaskCompletionSource();
        int lines = 0;
        first.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("text ", StringComparison.Ordinal) == true && Interlocked.Increment(ref lines) == 15)
            {
                seenBeforeKill.TrySetResult();
            }
        };
        first.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + Patience;
        while (!h.Relay.IsConnected("bob", 1))
        {
            Assert.True(DateTime.UtcNow < deadline, "the listener process never connected");
            await Task.Delay(20);
        }

        var senderHalfway = new TaskCompletionSource();
        var burst = Task.Run(async () =>
        {
            foreach (var text in expected)
            {
                await alice.SendTextAsync("bob", text);
                await Task.Delay(10);
                if (text == "burst 40")
                {
                    senderHalfway.TrySetResult();
                }
            }
        });

        // Killed at a moment chosen by the sender's progress, not by the listener's output, so it can land anywhere
        // in the listener's receive-record-acknowledge cycle.
        await seenBeforeKill.Task.WaitAsync(Patience);
        await senderHalfway.Task.WaitAsync(Patience);
        first.Kill(entireProcessTree: true); // SIGKILL: no clean-up, no flush, mid-burst
        await first.WaitForExitAsync();
        int recordedAtKill;
        await using (var dead = MessengerDevice.Open(bobDirectory))
        {
            recordedAtKill = dead.Inbox().Count;
        }

        await burst.WaitAsync(Patience);

        using (var second = StartListener(bobDirectory, Count))
        {
            try
            {
                second.BeginOutputReadLine();
                await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.Equal(0, second.ExitCode);
            }
            finally
            {
                if (!second.HasExited)
                {
                    second.Kill(entireProcessTree: true);
                }
            }
        }

        await using var reopened = MessengerDevice.Open(bobDirectory);
        Assert.Equal(expected, reopened.Inbox().Select(i => i.Body));
        // The first process died before the end of the burst, so the second really had something to catch up on.
        Assert.True(recordedAtKill < Count, "the kill came after the burst");
        await DeliveryTests.WaitForEmptyMailboxAsync(h, "bob", 1);
    }

    /// <summary>Makes sure a listener process never outlives a failing test.</summary>
    private sealed class ProcessReaper(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped.
            }
        }
    }

    private static Process StartListener(string directory, int until)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "SignalSharp.Messenger.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "listen", "--dir", directory, "--until", until.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}
