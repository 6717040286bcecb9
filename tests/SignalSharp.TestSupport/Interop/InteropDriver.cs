using System.Text.Json.Nodes;

namespace SignalSharp.TestSupport.Interop;

/// <summary>
/// A typed client of one interop-driver process (protocol v1, docs/interop.md). Every method sends one request;
/// a failure response throws <see cref="DriverError"/> carrying the error kind.
/// </summary>
public sealed class InteropDriver : IDisposable
{
    private readonly JsonLinesProcess _process;

    private InteropDriver(DriverKind kind, JsonLinesProcess process)
    {
        Kind = kind;
        _process = process;
    }

    /// <summary>The implementation this process hosts.</summary>
    public DriverKind Kind { get; }

    /// <summary>
    /// How long one request may take before the driver is considered hung: it is then killed and the call throws
    /// <see cref="TimeoutException"/> (so a hanging peer fails its test instead of stalling the run).
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>What the driver logged so far.</summary>
    public string StandardError => _process.StandardError;

    /// <summary>Starts a driver of the given kind.</summary>
    public static InteropDriver Start(DriverKind kind) => kind switch
    {
        DriverKind.Libsignal => new InteropDriver(kind, JsonLinesProcess.StartNode("libsignal-driver.mjs")),
        DriverKind.SignalSharp => new InteropDriver(kind, StartSignalSharp()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The built SignalSharp driver next to the test assembly's configuration
    /// (tests/SignalSharp.InteropDriver/bin/&lt;Configuration&gt;/net10.0/SignalSharp.InteropDriver.dll).
    /// </summary>
    public static string SignalSharpDriverDll
    {
        get
        {
            // The test assembly runs from .../bin/<Configuration>/<tfm>/: reuse its configuration and framework.
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = baseDir.Name;
            string configuration = baseDir.Parent?.Name ?? "Debug";
            return Path.Combine(RepoPaths.Root, "tests", "SignalSharp.InteropDriver", "bin", configuration, framework, "SignalSharp.InteropDriver.dll");
        }
    }

    private static JsonLinesProcess StartSignalSharp()
    {
        string dll = SignalSharpDriverDll;
        if (File.Exists(dll))
        {
            return JsonLinesProcess.Start("dotnet", $"\"{dll}\"", RepoPaths.Root);
        }

        string project = Path.Combine(RepoPaths.Root, "tests", "SignalSharp.InteropDriver");
        if (!Directory.Exists(project))
        {
            throw new InvalidOperationException($"The SignalSharp interop driver does not exist yet ({project}).");
        }

        return JsonLinesProcess.Start("dotnet", $"run --no-build -c Release --project \"{project}\"", RepoPaths.Root);
    }

    /// <summary>Sends one request and returns the success response; throws <see cref="DriverError"/> on failure.</summary>
    public JsonObject Invoke(string op, JsonObject arguments)
    {
        arguments["op"] = op;
        var call = Task.Run(() => _process.Send(arguments));
        if (!((IAsyncResult)call).AsyncWaitHandle.WaitOne(CallTimeout))
        {
            _process.Dispose();
            throw new TimeoutException($"{Kind} driver did not answer {op} within {CallTimeout}; stderr:\n{StandardError}");
        }

        var response = call.GetAwaiter().GetResult(); // rethrows the peer's own failure unwrapped
        if (response["ok"]?.GetValue<bool>() == true)
        {
            return response;
        }

        string kind = response["error"]?.GetValue<string>() ?? "<no error kind>";
        string message = response["message"]?.GetValue<string>() ?? string.Empty;
        string stderr = StandardError;
        throw new DriverError(Kind, op, kind, message, stderr.Length > 2000 ? stderr[^2000..] : stderr);
    }

    /// <summary><c>create</c>: a new local client; returns its identity key.</summary>
    public byte[] Create(string client, DriverAddress address, int? registrationId = null, string? linkedTo = null)
    {
        var request = new JsonObject { ["client"] = client, ["name"] = address.Name, ["device"] = address.Device };
        if (registrationId is not null)
        {
            request["registrationId"] = registrationId;
        }

        if (linkedTo is not null)
        {
            request["linkedTo"] = linkedTo;
        }

        return Bytes(Invoke("create", request), "identityKey");
    }

    /// <summary><c>identity</c>: the client's identity key and registration id.</summary>
    public (byte[] IdentityKey, int RegistrationId) Identity(string client)
    {
        var response = Invoke("identity", new JsonObject { ["client"] = client });
        return (Bytes(response, "identityKey"), response["registrationId"]!.GetValue<int>());
    }

    /// <summary><c>bundle</c>: fresh signed and Kyber pre-keys (and a one-time pre-key when <paramref name="preKeyId"/> is given).</summary>
    public DriverBundle Bundle(string client, uint? preKeyId = null, uint? signedPreKeyId = null, uint? kyberPreKeyId = null)
    {
        var request = new JsonObject { ["client"] = client };
        if (preKeyId is not null)
        {
            request["preKeyId"] = preKeyId;
        }

        if (signedPreKeyId is not null)
        {
            request["signedPreKeyId"] = signedPreKeyId;
        }

        if (kyberPreKeyId is not null)
        {
            request["kyberPreKeyId"] = kyberPreKeyId;
        }

        return DriverBundle.FromJson(Invoke("bundle", request));
    }

    /// <summary><c>process_bundle</c>: starts a session with <paramref name="remote"/> from its bundle.</summary>
    public void ProcessBundle(string client, DriverAddress remote, DriverBundle bundle) =>
        Invoke("process_bundle", new JsonObject { ["client"] = client, ["remote"] = remote.ToJson(), ["bundle"] = bundle.ToJson() });

    /// <summary><c>encrypt</c>.</summary>
    public DriverCiphertext Encrypt(string client, DriverAddress remote, byte[] plaintext)
    {
        var response = Invoke("encrypt", new JsonObject { ["client"] = client, ["remote"] = remote.ToJson(), ["plaintext"] = Convert.ToBase64String(plaintext) });
        return new DriverCiphertext(response["type"]!.GetValue<int>(), Bytes(response, "body"));
    }

    /// <summary><c>decrypt</c>.</summary>
    public byte[] Decrypt(string client, DriverAddress remote, DriverCiphertext message) =>
        Bytes(
            Invoke("decrypt", new JsonObject
            {
                ["client"] = client,
                ["remote"] = remote.ToJson(),
                ["type"] = message.Type,
                ["body"] = Convert.ToBase64String(message.Body),
            }),
            "plaintext");

    /// <summary><c>has_session</c>: whether a usable current session with <paramref name="remote"/> exists.</summary>
    public bool HasSession(string client, DriverAddress remote) =>
        Invoke("has_session", new JsonObject { ["client"] = client, ["remote"] = remote.ToJson() })["session"]!.GetValue<bool>();

    /// <summary><c>archive_session</c>.</summary>
    public void ArchiveSession(string client, DriverAddress remote) =>
        Invoke("archive_session", new JsonObject { ["client"] = client, ["remote"] = remote.ToJson() });

    /// <summary><c>trust</c>: accept <paramref name="identityKey"/> for user <paramref name="name"/>.</summary>
    public void Trust(string client, string name, byte[] identityKey) =>
        Invoke("trust", new JsonObject { ["client"] = client, ["name"] = name, ["identityKey"] = Convert.ToBase64String(identityKey) });

    /// <summary><c>sender_key_distribution</c>: the client's SenderKeyDistributionMessage for a distribution.</summary>
    public byte[] SenderKeyDistribution(string client, Guid distributionId) =>
        Bytes(Invoke("sender_key_distribution", new JsonObject { ["client"] = client, ["distributionId"] = distributionId.ToString() }), "message");

    /// <summary><c>process_sender_key_distribution</c>.</summary>
    public void ProcessSenderKeyDistribution(string client, DriverAddress sender, byte[] message) =>
        Invoke("process_sender_key_distribution", new JsonObject
        {
            ["client"] = client,
            ["sender"] = sender.ToJson(),
            ["message"] = Convert.ToBase64String(message),
        });

    /// <summary><c>group_encrypt</c>: a SenderKeyMessage.</summary>
    public byte[] GroupEncrypt(string client, Guid distributionId, byte[] plaintext) =>
        Bytes(
            Invoke("group_encrypt", new JsonObject
            {
                ["client"] = client,
                ["distributionId"] = distributionId.ToString(),
                ["plaintext"] = Convert.ToBase64String(plaintext),
            }),
            "body");

    /// <summary><c>group_decrypt</c>.</summary>
    public byte[] GroupDecrypt(string client, DriverAddress sender, byte[] body) =>
        Bytes(
            Invoke("group_decrypt", new JsonObject
            {
                ["client"] = client,
                ["sender"] = sender.ToJson(),
                ["body"] = Convert.ToBase64String(body),
            }),
            "plaintext");

    /// <summary>
    /// <c>fingerprint</c>. <paramref name="localIdentityKey"/> is the protocol extension that replaces the client's
    /// own identity key (for known-answer vectors).
    /// </summary>
    public DriverFingerprint Fingerprint(
        string client,
        byte[] localId,
        byte[] remoteId,
        byte[] remoteIdentityKey,
        int? iterations = null,
        int? version = null,
        byte[]? localIdentityKey = null)
    {
        var request = new JsonObject
        {
            ["client"] = client,
            ["localId"] = Convert.ToBase64String(localId),
            ["remoteId"] = Convert.ToBase64String(remoteId),
            ["remoteIdentityKey"] = Convert.ToBase64String(remoteIdentityKey),
        };
        if (iterations is not null)
        {
            request["iterations"] = iterations;
        }

        if (version is not null)
        {
            request["version"] = version;
        }

        if (localIdentityKey is not null)
        {
            request["localIdentityKey"] = Convert.ToBase64String(localIdentityKey);
        }

        var response = Invoke("fingerprint", request);
        return new DriverFingerprint(response["displayable"]!.GetValue<string>(), Bytes(response, "scannable"));
    }

    /// <summary><c>quit</c>: asks the driver to exit.</summary>
    public void Quit() => Invoke("quit", new JsonObject());

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    private static byte[] Bytes(JsonObject response, string name) =>
        Convert.FromBase64String(response[name]?.GetValue<string>() ?? throw new InvalidOperationException($"response lacks {name}: {response.ToJsonString()}"));
}
