using System.ComponentModel;
using System.Diagnostics;

namespace SignalSharp.TestSupport;

/// <summary>
/// Installs the Node reference peers (tests/node: <c>npm ci</c>) the first time a test needs them, so that
/// <c>dotnet test</c> passes on a fresh clone with nothing run before it. Test projects run in parallel
/// processes; a lock file makes exactly one of them install while the others wait.
/// </summary>
public static class NodePeerInstaller
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<string> InstalledFolder = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Returns tests/node after making sure its dependencies are installed (once per process).</summary>
    /// <exception cref="InvalidOperationException">npm is missing or <c>npm ci</c> failed; the message says what to do.</exception>
    public static string EnsureInstalled() => InstalledFolder.Value;

    /// <summary>
    /// True when <c>npm ci</c> completed after the last change of package-lock.json: npm writes
    /// node_modules/.package-lock.json as its last step.
    /// </summary>
    /// <param name="folder">The Node project folder.</param>
    public static bool IsInstalled(string folder)
    {
        var done = new FileInfo(Path.Combine(folder, "node_modules", ".package-lock.json"));
        var wanted = new FileInfo(Path.Combine(folder, "package-lock.json"));
        return done.Exists && done.LastWriteTimeUtc >= wanted.LastWriteTimeUtc;
    }

    private static string Install()
    {
        string folder = Path.Combine(RepoPaths.Root, "tests", "node");
        if (IsInstalled(folder))
        {
            return folder;
        }

        using (AcquireLock(Path.Combine(folder, ".npm-ci.lock")))
        {
            // Another test process may have installed while this one waited.
            if (!IsInstalled(folder))
            {
                RunNpmCi(folder);
            }
        }

        return folder;
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock across processes. The file stays (git-ignored): deleting it on
                // close would let a waiter lock the unlinked file while a third process locks a new one.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }
        }
    }

    private static void RunNpmCi(string folder)
    {
        var psi = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("npm did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "The interop tests run the official libsignal (npm @signalapp/libsignal-client) as a reference peer, and npm "
                + $"was not found on PATH to install it into {folder}. Install Node.js 20 or later (which brings npm) and run "
                + "`dotnet test` again.",
                e);
        }

        using (process)
        {
            // Both pipes are drained concurrently so that a chatty npm cannot block on a full buffer.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)LockTimeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"`npm ci` in {folder} did not finish within {LockTimeout.TotalMinutes} minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"`npm ci` in {folder} failed with exit code {process.ExitCode} (the reference peer needs network access to "
                    + $"registry.npmjs.org once):\n{stdout.Result}\n{stderr.Result}");
            }
        }
    }
}
