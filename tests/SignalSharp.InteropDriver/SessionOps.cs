using System.Text.Json.Nodes;
using SignalSharp;

namespace SignalSharp.InteropDriver;

/// <summary>The 1:1 session ops: create, identity, bundle, process_bundle, encrypt, decrypt, has_session, archive_session, trust.</summary>
internal sealed partial class Driver
{
    private void RegisterSessionOps()
    {
        _ops["create"] = CreateAsync;
        _ops["identity"] = r => Task.FromResult(Identity(r));
        _ops["bundle"] = BundleAsync;
        _ops["process_bundle"] = ProcessBundleAsync;
        _ops["encrypt"] = EncryptAsync;
        _ops["decrypt"] = DecryptAsync;
        _ops["has_session"] = HasSessionAsync;
        _ops["archive_session"] = ArchiveSessionAsync;
        _ops["trust"] = TrustAsync;
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private Task<JsonObject> CreateAsync(JsonObject r)
    {
        string handle = Args.String(r, "client");
        if (_clients.ContainsKey(handle))
        {
            throw DriverException.BadRequest($"client \"{handle}\" already exists");
        }

        string name = Args.String(r, "name");
        if (name.Length == 0)
        {
            throw DriverException.BadRequest("\"name\" must not be empty");
        }

        int device = (int)Args.Int(r, "device", ProtocolAddress.MinDeviceId, ProtocolAddress.MaxDeviceId);
        uint registrationId = (uint?)Args.OptionalInt(r, "registrationId", 1, KeyHelper.MaxRegistrationId) ?? KeyHelper.GenerateRegistrationId();
        string? sqlitePath = StoreArgument(r);
        IdentityKeyPair identity;
        if (r["linkedTo"] is { } linked)
        {
            string primaryHandle = Args.String(r, "linkedTo");
            if (!_clients.TryGetValue(primaryHandle, out var primary))
            {
                throw new DriverException("UnknownClient", $"no client \"{primaryHandle}\" to link to");
            }

            if (primary.Address.Name != name)
            {
                throw DriverException.BadRequest($"a linked device must have the name of \"{primaryHandle}\" ({primary.Address.Name})");
            }

            identity = primary.Identity;
        }
        else
        {
            identity = KeyHelper.GenerateIdentityKeyPair();
        }

        _clients[handle] = new DriverClient(name, device, identity, registrationId, sqlitePath);
        return Task.FromResult(new JsonObject { ["identityKey"] = B64(identity.IdentityKey.Serialize()) });
    }

    /// <summary>The <c>store</c> of a create request: null for memory (the default), else the path of a new SQLite store.</summary>
    private static string? StoreArgument(JsonObject r)
    {
        if (r["store"] is null)
        {
            return null;
        }

        string store = Args.String(r, "store");
        if (store == "memory")
        {
            return null;
        }

        const string Sqlite = "sqlite:";
        if (!store.StartsWith(Sqlite, StringComparison.Ordinal) || store.Length == Sqlite.Length)
        {
            throw DriverException.BadRequest($"unsupported store \"{store}\" (use \"memory\" or \"sqlite:<path>\")");
        }

        string path = store[Sqlite.Length..];
        if (File.Exists(path))
        {
            throw DriverException.BadRequest($"\"{path}\" already exists: a SQLite client needs a new database file");
        }

        return path;
    }

    private JsonObject Identity(JsonObject r)
    {
        var c = Client(r);
        return new JsonObject { ["identityKey"] = B64(c.Identity.IdentityKey.Serialize()), ["registrationId"] = c.RegistrationId };
    }

    private async Task<JsonObject> BundleAsync(JsonObject r)
    {
        var c = Client(r);
        uint? preKeyId = (uint?)Args.OptionalInt(r, "preKeyId", 0, 0xFFFFFF);
        uint signedPreKeyId = (uint?)Args.OptionalInt(r, "signedPreKeyId", 0, 0xFFFFFF) ?? c.NextSignedPreKeyId;
        uint kyberPreKeyId = (uint?)Args.OptionalInt(r, "kyberPreKeyId", 0, 0xFFFFFF) ?? c.NextKyberPreKeyId;
        bool lastResort = r["kyberLastResort"] is JsonValue lr && lr.TryGetValue<bool>(out bool flag) && flag;
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        EcPublicKey? preKey = null;
        if (preKeyId is { } id)
        {
            using var record = new PreKeyRecord(id, EcKeyPair.Generate());
            await c.Store.StorePreKeyAsync(id, record);
            preKey = record.PublicKey;
        }

        using var signed = KeyHelper.GenerateSignedPreKey(c.Identity, signedPreKeyId, now);
        await c.Store.StoreSignedPreKeyAsync(signedPreKeyId, signed);
        using var kyber = lastResort
            ? KeyHelper.GenerateLastResortKyberPreKey(c.Identity, kyberPreKeyId, now)
            : KeyHelper.GenerateKyberPreKeys(c.Identity, kyberPreKeyId, 1, now)[0];
        await c.Store.StoreKyberPreKeyAsync(kyberPreKeyId, kyber);

        c.NextSignedPreKeyId = Math.Max(c.NextSignedPreKeyId, signedPreKeyId + 1);
        c.NextKyberPreKeyId = Math.Max(c.NextKyberPreKeyId, kyberPreKeyId + 1);
        return new JsonObject
        {
            ["registrationId"] = c.RegistrationId,
            ["deviceId"] = c.Address.DeviceId,
            ["preKeyId"] = preKeyId,
            ["preKey"] = preKey is null ? null : B64(preKey.Serialize()),
            ["signedPreKeyId"] = signedPreKeyId,
            ["signedPreKey"] = B64(signed.PublicKey.Serialize()),
            ["signedPreKeySignature"] = B64(signed.Signature),
            ["kyberPreKeyId"] = kyberPreKeyId,
            ["kyberPreKey"] = B64(kyber.PublicKey.Serialize()),
            ["kyberPreKeySignature"] = B64(kyber.Signature),
            ["identityKey"] = B64(c.Identity.IdentityKey.Serialize()),
        };
    }

    private async Task<JsonObject> ProcessBundleAsync(JsonObject r)
    {
        var c = Client(r);
        var remote = Args.Address(r, "remote");
        if (Args.Required(r, "bundle") is not JsonObject b)
        {
            throw DriverException.BadRequest("\"bundle\" must be an object");
        }

        uint registrationId = (uint)Args.Int(b, "registrationId", 0, uint.MaxValue);
        int deviceId = (int)Args.Int(b, "deviceId", ProtocolAddress.MinDeviceId, ProtocolAddress.MaxDeviceId);
        uint? preKeyId = (uint?)Args.OptionalInt(b, "preKeyId", 0, uint.MaxValue);
        byte[]? preKeyBytes = b["preKey"] is { } pk ? Args.Base64(pk, "bundle.preKey") : null;
        if (preKeyId.HasValue != (preKeyBytes is not null))
        {
            throw DriverException.BadRequest("\"bundle.preKeyId\" and \"bundle.preKey\" go together");
        }

        uint signedPreKeyId = (uint)Args.Int(b, "signedPreKeyId", 0, uint.MaxValue);
        byte[] signedPreKey = Args.Bytes(b, "signedPreKey");
        byte[] signedPreKeySignature = Args.Bytes(b, "signedPreKeySignature");
        byte[] identityKey = Args.Bytes(b, "identityKey");
        uint kyberPreKeyId = (uint)Args.Int(b, "kyberPreKeyId", 0, uint.MaxValue);
        byte[] kyberPreKey = Args.Bytes(b, "kyberPreKey");
        byte[] kyberPreKeySignature = Args.Bytes(b, "kyberPreKeySignature");
        if (kyberPreKey.Length > 0 && kyberPreKey[0] != (byte)KemType.Kyber1024)
        {
            // libsignal 0.103 as shipped on npm knows only Kyber1024 pre-keys; mirror its refusal.
            throw new InvalidKeyException($"bad KEM key type <0x{kyberPreKey[0]:x2}>");
        }

        var bundle = new PreKeyBundle(
            registrationId,
            deviceId,
            preKeyId,
            preKeyBytes is null ? null : EcPublicKey.Deserialize(preKeyBytes),
            signedPreKeyId,
            EcPublicKey.Deserialize(signedPreKey),
            signedPreKeySignature,
            IdentityKey.Deserialize(identityKey),
            kyberPreKeyId,
            KemPublicKey.Deserialize(kyberPreKey),
            kyberPreKeySignature);
        await new SessionBuilder(c.Store, remote).ProcessPreKeyBundleAsync(bundle);
        return [];
    }

    private async Task<JsonObject> EncryptAsync(JsonObject r)
    {
        var c = Client(r);
        var remote = Args.Address(r, "remote");
        byte[] plaintext = Args.Bytes(r, "plaintext");
        var message = await new SessionCipher(c.Store, c.Address, remote).EncryptAsync(plaintext);
        return new JsonObject { ["type"] = (int)message.Type, ["body"] = B64(message.Serialize()) };
    }

    private async Task<JsonObject> DecryptAsync(JsonObject r)
    {
        var c = Client(r);
        var remote = Args.Address(r, "remote");
        long type = Args.Int(r, "type", long.MinValue, long.MaxValue);
        byte[] body = Args.Bytes(r, "body");
        var cipher = new SessionCipher(c.Store, c.Address, remote);
        byte[] plaintext = type switch
        {
            (long)CiphertextMessageType.Whisper => await cipher.DecryptAsync(SignalMessage.Deserialize(body)),
            (long)CiphertextMessageType.PreKey => await cipher.DecryptAsync(PreKeySignalMessage.Deserialize(body)),
            _ => throw DriverException.BadRequest($"\"type\" must be 2 or 3, not {type}"),
        };
        return new JsonObject { ["plaintext"] = B64(plaintext) };
    }

    private async Task<JsonObject> HasSessionAsync(JsonObject r)
    {
        var c = Client(r);
        var remote = Args.Address(r, "remote");
        return new JsonObject { ["session"] = await new SessionCipher(c.Store, c.Address, remote).HasUsableSessionAsync() };
    }

    private async Task<JsonObject> ArchiveSessionAsync(JsonObject r)
    {
        var c = Client(r);
        var remote = Args.Address(r, "remote");
        await new SessionCipher(c.Store, c.Address, remote).ArchiveCurrentSessionAsync();
        return [];
    }

    private async Task<JsonObject> TrustAsync(JsonObject r)
    {
        var c = Client(r);
        string name = Args.String(r, "name");
        if (name.Length == 0)
        {
            throw DriverException.BadRequest("\"name\" must not be empty");
        }

        var key = IdentityKey.Deserialize(Args.Bytes(r, "identityKey"));

        // Trust is kept per user name; any device id names the user.
        await c.Store.SaveIdentityAsync(new ProtocolAddress(name, ProtocolAddress.MinDeviceId), key);
        return [];
    }
}
