using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalSharp.TestSupport;

/// <summary>
/// A child process spoken to with one JSON object per line on stdin/stdout (the interop-driver transport).
/// Standard error is collected so that a failing test can show what the peer logged.
/// </summary>
public sealed class JsonLinesProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();
    private long _nextId;

    private JsonLinesProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    if (_stderr.Length < 64 * 1024)
                    {
                        _stderr.AppendLine(e.Data);
                    }
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process wrote to standard error so far (truncated at 64 KiB).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a program.</summary>
    public static JsonLinesProcess Start(string fileName, string arguments, string workingDirectory)
    {
        var psi = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + fileName);
        return new JsonLinesProcess(process);
    }

    /// <summary>Starts a Node script from tests/node (installing its dependencies first when they are missing).</summary>
    public static JsonLinesProcess StartNode(string scriptName)
    {
        string folder = RepoPaths.NodeFolder;
        return Start("node", scriptName, folder);
    }

    /// <summary>Sends one request (an "id" is added when absent) and returns the response object.</summary>
    public JsonObject Send(JsonObject request)
    {
        lock (_gate)
        {
            if (!request.ContainsKey("id"))
            {
                request["id"] = ++_nextId;
            }

            _process.StandardInput.WriteLine(request.ToJsonString());
            _process.StandardInput.Flush();
            string? line = _process.StandardOutput.ReadLine();
            if (line is null)
            {
                throw new InvalidOperationException("peer closed its output; stderr:\n" + StandardError);
            }

            return JsonNode.Parse(line) as JsonObject
                ?? throw new InvalidOperationException("peer answered a non-object: " + line);
        }
    }

    /// <summary>Sends a request and throws unless the response has ok = true.</summary>
    public JsonObject Call(JsonObject request)
    {
        var response = Send(request);
        if (response["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"peer failed {request.ToJsonString(new JsonSerializerOptions { WriteIndented = false })[..Math.Min(200, request.ToJsonString().Length)]}: {response.ToJsonString()}\nstderr:\n{StandardError}");
        }

        return response;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The process is already gone.
        }

        _process.Dispose();
    }
}
