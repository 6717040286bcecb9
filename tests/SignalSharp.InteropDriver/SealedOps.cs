using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.SealedSender;

namespace SignalSharp.InteropDriver;

/// <summary>The driver protocol v2 ops: certificates, sealed sender v1/v2, the server split, retry receipts, PNI signatures.</summary>
internal sealed partial class Driver
{
    partial void RegisterSealedOps()
    {
        _ops["server_certificate"] = r => Task.FromResult(ServerCertificateOp(r));
        _ops["sender_certificate"] = r => Task.FromResult(SenderCertificateOp(r));
        _ops["validate_sender_certificate"] = r => Task.FromResult(ValidateSenderCertificate(r));
        _ops["sealed_encrypt"] = SealedEncryptAsync;
        _ops["sealed_content"] = r => Task.FromResult(SealedContent(r));
        _ops["sealed_encrypt_content"] = SealedEncryptContentAsync;
        _ops["sealed_multi_encrypt"] = SealedMultiEncryptAsync;
        _ops["sealed_multi_split"] = r => Task.FromResult(SealedMultiSplit(r));
        _ops["sealed_decrypt"] = SealedDecryptAsync;
        _ops["sealed_decrypt_to_usmc"] = SealedDecryptToUsmcAsync;
        _ops["decryption_error"] = r => Task.FromResult(DecryptionError(r));
        _ops["read_plaintext_content"] = r => Task.FromResult(ReadPlaintextContent(r));
        _ops["ratchet_key_matches"] = RatchetKeyMatchesAsync;
        _ops["delete_session"] = DeleteSessionAsync;
        _ops["sign_alternate_identity"] = r => Task.FromResult(SignAlternateIdentity(r));
        _ops["verify_alternate_identity"] = r => Task.FromResult(VerifyAlternateIdentity(r));
    }

    private static EcPublicKey PublicKeyArg(JsonObject r, string field) => EcPublicKey.Deserialize(Args.Bytes(r, field));

    private static ulong Time(JsonObject r, string field) => (ulong)Args.Int(r, field, 0, long.MaxValue);

    private static string? OptionalString(JsonObject r, string field)
        => r[field] is null ? null : Args.String(r, field);

    private static SealedSessionCipher SealedCipher(DriverClient c) => new(c.Store, c.Address);

    private static JsonObject ServerCertificateOp(JsonObject r)
    {
        using var root = EcPrivateKey.Deserialize(Args.Bytes(r, "trustRootPrivateKey"));
        uint keyId = (uint)Args.Int(r, "keyId", 0, uint.MaxValue);
        var certificate = ServerCertificate.Create(root, keyId, PublicKeyArg(r, "serverKey"));
        return new JsonObject { ["certificate"] = B64(certificate.Serialize()) };
    }

    private static JsonObject SenderCertificateOp(JsonObject r)
    {
        var server = ServerCertificate.Deserialize(Args.Bytes(r, "serverCertificate"));
        using var serverKey = EcPrivateKey.Deserialize(Args.Bytes(r, "serverPrivateKey"));
        var certificate = SenderCertificate.Create(
            Args.String(r, "senderUuid"),
            OptionalString(r, "senderE164"),
            (int)Args.Int(r, "senderDevice", ProtocolAddress.MinDeviceId, ProtocolAddress.MaxDeviceId),
            IdentityKey.Deserialize(Args.Bytes(r, "identityKey")),
            Time(r, "expiration"),
            server,
            serverKey);
        return new JsonObject { ["certificate"] = B64(certificate.Serialize()) };
    }

    private static JsonObject ValidateSenderCertificate(JsonObject r)
    {
        var certificate = SenderCertificate.Deserialize(Args.Bytes(r, "certificate"));
        if (Args.Required(r, "trustRoots") is not JsonArray array || array.Count == 0)
        {
            throw DriverException.BadRequest("\"trustRoots\" must be a non-empty array of public keys");
        }

        var roots = array.Select((node, i) => EcPublicKey.Deserialize(Args.Base64(node, $"trustRoots[{i}]"))).ToList();
        bool valid = certificate.Validate(roots, Time(r, "time"));
        var result = CertificateFields(certificate);
        result["valid"] = valid;
        result["serverKeyId"] = certificate.Signer?.KeyId;
        result["serverKey"] = certificate.Signer is { } signer ? B64(signer.Key.Serialize()) : null;
        return result;
    }

    private static JsonObject CertificateFields(SenderCertificate certificate) => new()
    {
        ["senderUuid"] = certificate.SenderUuid,
        ["senderE164"] = certificate.SenderE164,
        ["senderDevice"] = certificate.SenderDeviceId,
        ["identityKey"] = B64(certificate.IdentityKey.Serialize()),
        ["expiration"] = certificate.Expiration,
    };

    private async Task<JsonObject> SealedEncryptAsync(JsonObject r)
    {
        var c = Client(r);
        var remote = Args.Address(r, "remote");
        var certificate = SenderCertificate.Deserialize(Args.Bytes(r, "senderCertificate"));
        byte[] plaintext = Args.Bytes(r, "plaintext");
        using var cipher = SealedCipher(c);
        return new JsonObject { ["message"] = B64(await cipher.EncryptAsync(remote, certificate, plaintext)) };
    }

    private static JsonObject SealedContent(JsonObject r)
    {
        var certificate = SenderCertificate.Deserialize(Args.Bytes(r, "senderCertificate"));
        var type = Args.Int(r, "type", 0, 255) switch
        {
            2 => CiphertextMessageType.Whisper,
            3 => CiphertextMessageType.PreKey,
            7 => CiphertextMessageType.SenderKey,
            8 => CiphertextMessageType.Plaintext,
            var other => throw DriverException.BadRequest($"\"type\" must be 2, 3, 7 or 8, not {other}"),
        };
        var hint = (ContentHint)(int)(Args.OptionalInt(r, "contentHint", 0, int.MaxValue) ?? 0);
        byte[] groupId = r["groupId"] is null ? [] : Args.Bytes(r, "groupId");
        var content = new UnidentifiedSenderMessageContent(type, certificate, Args.Bytes(r, "body"), hint, groupId);
        return new JsonObject { ["content"] = B64(content.Serialize()) };
    }

    private static UnidentifiedSenderMessageContent ContentArg(JsonObject r)
    {
        byte[] bytes = Args.Bytes(r, "content");
        return UnidentifiedSenderMessageContent.Deserialize(bytes);
    }

    private async Task<JsonObject> SealedEncryptContentAsync(JsonObject r)
    {
        var c = Client(r);
        var remote = Args.Address(r, "remote");
        var content = ContentArg(r);
        using var cipher = SealedCipher(c);
        return new JsonObject { ["message"] = B64(await cipher.EncryptAsync(remote, content)) };
    }

    private async Task<JsonObject> SealedMultiEncryptAsync(JsonObject r)
    {
        var c = Client(r);
        if (Args.Required(r, "recipients") is not JsonArray array)
        {
            throw DriverException.BadRequest("\"recipients\" must be an array of addresses");
        }

        var recipients = new List<ProtocolAddress>();
        for (int i = 0; i < array.Count; i++)
        {
            recipients.Add(Args.Address(new JsonObject { ["a"] = array[i]?.DeepClone() }, "a"));
        }

        var excluded = new List<string>();
        if (r["excluded"] is { } node)
        {
            if (node is not JsonArray list)
            {
                throw DriverException.BadRequest("\"excluded\" must be an array of ServiceId strings");
            }

            foreach (var item in list)
            {
                excluded.Add(item is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw DriverException.BadRequest("\"excluded\" must hold strings"));
            }
        }

        foreach (string name in recipients.Select(a => a.Name).Concat(excluded))
        {
            if (!ServiceIdBinary.TryWriteFixedWidth(name, new byte[ServiceIdBinary.FixedWidthSize]))
            {
                throw DriverException.BadRequest($"multi-recipient sealed sender requires recipients' ServiceId (got \"{name}\")");
            }
        }

        var content = ContentArg(r);
        using var cipher = SealedCipher(c);
        return new JsonObject { ["sentMessage"] = B64(await cipher.MultiRecipientEncryptAsync(recipients, content, excluded)) };
    }

    private static JsonObject SealedMultiSplit(JsonObject r)
    {
        var parsed = SealedSenderMultiRecipientMessage.Parse(Args.Bytes(r, "sentMessage"));
        var recipients = new JsonArray();
        foreach (var recipient in parsed.Recipients)
        {
            recipients.Add(new JsonObject
            {
                ["serviceId"] = recipient.ServiceId,
                ["devices"] = new JsonArray([.. recipient.DeviceIds.Select(d => (JsonNode)d)]),
                ["registrationIds"] = new JsonArray([.. recipient.RegistrationIds.Select(d => (JsonNode)d)]),
                ["message"] = B64(parsed.MessageFor(recipient)),
            });
        }

        return new JsonObject
        {
            ["recipients"] = recipients,
            ["excluded"] = new JsonArray([.. parsed.ExcludedRecipients.Select(s => (JsonNode)s)]),
        };
    }

    private async Task<JsonObject> SealedDecryptAsync(JsonObject r)
    {
        var c = Client(r);
        byte[] message = Args.Bytes(r, "message");
        var root = PublicKeyArg(r, "trustRoot");
        ulong timestamp = Time(r, "timestamp");
        string? localE164 = OptionalString(r, "localE164");
        using var cipher = SealedCipher(c);
        var result = await cipher.DecryptAsync(message, root, timestamp, localE164);
        return new JsonObject
        {
            ["plaintext"] = B64(result.Plaintext),
            ["senderUuid"] = result.SenderUuid,
            ["senderE164"] = result.SenderE164,
            ["senderDevice"] = result.SenderDeviceId,
        };
    }

    private async Task<JsonObject> SealedDecryptToUsmcAsync(JsonObject r)
    {
        var c = Client(r);
        using var cipher = SealedCipher(c);
        var content = await cipher.DecryptToUsmcAsync(Args.Bytes(r, "message"));
        var result = CertificateFields(content.SenderCertificate);
        result["type"] = content.MessageType == CiphertextMessageType.PreKey ? 3 : (int)content.MessageType;
        result["body"] = B64(content.Content);
        result["contentHint"] = (int)content.ContentHint;
        result["groupId"] = content.GroupId is { } g ? B64(g) : null;
        result["senderCertificate"] = B64(content.SenderCertificate.Serialize());
        return result;
    }

    private static JsonObject DecryptionError(JsonObject r)
    {
        var type = Args.Int(r, "type", 0, 255) switch
        {
            2 => CiphertextMessageType.Whisper,
            3 => CiphertextMessageType.PreKey,
            7 => CiphertextMessageType.SenderKey,
            var other => throw DriverException.BadRequest($"\"type\" must be 2, 3 or 7, not {other}"),
        };
        byte[] body = Args.Bytes(r, "body");
        ulong timestamp = Time(r, "timestamp");
        uint device = (uint)Args.Int(r, "senderDevice", 0, uint.MaxValue);
        if (type == CiphertextMessageType.SenderKey)
        {
            // The full sender-key parse lives in SignalSharp.Groups.
            SenderKeyMessage.Parse(body);
        }

        var dem = DecryptionErrorMessage.ForOriginal(body, type, timestamp, device);
        return new JsonObject
        {
            ["message"] = B64(dem.Serialize()),
            ["plaintextContent"] = B64(PlaintextContent.From(dem).Serialize()),
            ["ratchetKey"] = dem.RatchetKey is { } key ? B64(key.Serialize()) : null,
        };
    }

    private static JsonObject ReadPlaintextContent(JsonObject r)
    {
        var content = PlaintextContent.Deserialize(Args.Bytes(r, "body"));
        var dem = content.DecryptionErrorMessage();
        return new JsonObject
        {
            ["message"] = B64(dem.Serialize()),
            ["ratchetKey"] = dem.RatchetKey is { } key ? B64(key.Serialize()) : null,
            ["timestamp"] = dem.Timestamp,
            ["senderDevice"] = dem.DeviceId,
        };
    }

    private async Task<JsonObject> RatchetKeyMatchesAsync(JsonObject r)
    {
        var c = Client(r);
        var remote = Args.Address(r, "remote");
        var key = PublicKeyArg(r, "ratchetKey");
        var record = await c.Store.LoadSessionAsync(remote);
        return new JsonObject { ["matches"] = record is not null && record.CurrentRatchetKeyMatches(key) };
    }

    private async Task<JsonObject> DeleteSessionAsync(JsonObject r)
    {
        var c = Client(r);
        await c.Store.DeleteSessionAsync(Args.Address(r, "remote"));
        return [];
    }

    private JsonObject SignAlternateIdentity(JsonObject r)
    {
        var c = Client(r);
        var other = IdentityKey.Deserialize(Args.Bytes(r, "otherIdentityKey"));
        return new JsonObject { ["signature"] = B64(c.Identity.SignAlternateIdentity(other)) };
    }

    private static JsonObject VerifyAlternateIdentity(JsonObject r)
    {
        var identity = IdentityKey.Deserialize(Args.Bytes(r, "identityKey"));
        var other = IdentityKey.Deserialize(Args.Bytes(r, "otherIdentityKey"));
        return new JsonObject { ["valid"] = identity.VerifyAlternateIdentity(other, Args.Bytes(r, "signature")) };
    }
}
