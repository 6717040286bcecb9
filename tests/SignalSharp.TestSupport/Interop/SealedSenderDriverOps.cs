using System.Text.Json.Nodes;

namespace SignalSharp.TestSupport.Interop;

/// <summary>Typed calls of the driver protocol v2 ops (sealed sender, certificates, retry receipts, PNI signatures).</summary>
public static class SealedSenderDriverOps
{
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static byte[] Bytes(JsonObject response, string name) => Convert.FromBase64String(response[name]!.GetValue<string>());

    private static byte[]? OptionalBytes(JsonObject response, string name) => response[name] is { } n ? Convert.FromBase64String(n.GetValue<string>()) : null;

    /// <summary><c>server_certificate</c>.</summary>
    public static byte[] ServerCertificate(this InteropDriver d, byte[] trustRootPrivateKey, uint keyId, byte[] serverKey) =>
        Bytes(d.Invoke("server_certificate", new JsonObject { ["trustRootPrivateKey"] = B64(trustRootPrivateKey), ["keyId"] = keyId, ["serverKey"] = B64(serverKey) }), "certificate");

    /// <summary><c>sender_certificate</c>.</summary>
    public static byte[] SenderCertificate(this InteropDriver d, byte[] serverCertificate, byte[] serverPrivateKey, string senderUuid, string? senderE164, int senderDevice, byte[] identityKey, ulong expiration) =>
        Bytes(
            d.Invoke("sender_certificate", new JsonObject
            {
                ["serverCertificate"] = B64(serverCertificate),
                ["serverPrivateKey"] = B64(serverPrivateKey),
                ["senderUuid"] = senderUuid,
                ["senderE164"] = senderE164,
                ["senderDevice"] = senderDevice,
                ["identityKey"] = B64(identityKey),
                ["expiration"] = expiration,
            }),
            "certificate");

    /// <summary><c>validate_sender_certificate</c>: the whole response (valid, sender fields, serverKeyId, serverKey).</summary>
    public static JsonObject ValidateSenderCertificate(this InteropDriver d, byte[] certificate, IEnumerable<byte[]> trustRoots, ulong time)
    {
        var response = d.Invoke("validate_sender_certificate", new JsonObject
        {
            ["certificate"] = B64(certificate),
            ["trustRoots"] = new JsonArray([.. trustRoots.Select(r => (JsonNode)B64(r))]),
            ["time"] = time,
        });
        response.Remove("id");
        response.Remove("ok");
        response.Remove("op");
        return response;
    }

    /// <summary><c>sealed_encrypt</c>: a sealed sender v1 envelope of a 1:1 message.</summary>
    public static byte[] SealedEncrypt(this InteropDriver d, string client, DriverAddress remote, byte[] senderCertificate, byte[] plaintext) =>
        Bytes(d.Invoke("sealed_encrypt", new JsonObject { ["client"] = client, ["remote"] = remote.ToJson(), ["senderCertificate"] = B64(senderCertificate), ["plaintext"] = B64(plaintext) }), "message");

    /// <summary><c>sealed_content</c>: a USMC.</summary>
    public static byte[] SealedContent(this InteropDriver d, byte[] senderCertificate, int type, byte[] body, int? contentHint = null, byte[]? groupId = null)
    {
        var request = new JsonObject { ["senderCertificate"] = B64(senderCertificate), ["type"] = type, ["body"] = B64(body) };
        if (contentHint is not null)
        {
            request["contentHint"] = contentHint;
        }

        if (groupId is not null)
        {
            request["groupId"] = B64(groupId);
        }

        return Bytes(d.Invoke("sealed_content", request), "content");
    }

    /// <summary><c>sealed_encrypt_content</c>: a v1 envelope of prepared content.</summary>
    public static byte[] SealedEncryptContent(this InteropDriver d, string client, DriverAddress remote, byte[] content) =>
        Bytes(d.Invoke("sealed_encrypt_content", new JsonObject { ["client"] = client, ["remote"] = remote.ToJson(), ["content"] = B64(content) }), "message");

    /// <summary><c>sealed_multi_encrypt</c>: an SSv2 SentMessage.</summary>
    public static byte[] SealedMultiEncrypt(this InteropDriver d, string client, IEnumerable<DriverAddress> recipients, byte[] content, IEnumerable<string>? excluded = null)
    {
        var request = new JsonObject
        {
            ["client"] = client,
            ["recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r.ToJson())]),
            ["content"] = B64(content),
        };
        if (excluded is not null)
        {
            request["excluded"] = new JsonArray([.. excluded.Select(e => (JsonNode)e)]);
        }

        return Bytes(d.Invoke("sealed_multi_encrypt", request), "sentMessage");
    }

    /// <summary><c>sealed_multi_split</c>: recipients (serviceId, devices, registrationIds, message) and excluded.</summary>
    public static JsonObject SealedMultiSplit(this InteropDriver d, byte[] sentMessage)
    {
        var response = d.Invoke("sealed_multi_split", new JsonObject { ["sentMessage"] = B64(sentMessage) });
        return new JsonObject { ["recipients"] = response["recipients"]!.DeepClone(), ["excluded"] = response["excluded"]!.DeepClone() };
    }

    /// <summary><c>sealed_decrypt</c>: plaintext and the certified sender.</summary>
    public static (byte[] Plaintext, string SenderUuid, string? SenderE164, int SenderDevice) SealedDecrypt(this InteropDriver d, string client, byte[] message, byte[] trustRoot, ulong timestamp, string? localE164 = null)
    {
        var request = new JsonObject { ["client"] = client, ["message"] = B64(message), ["trustRoot"] = B64(trustRoot), ["timestamp"] = timestamp };
        if (localE164 is not null)
        {
            request["localE164"] = localE164;
        }

        var response = d.Invoke("sealed_decrypt", request);
        return (Bytes(response, "plaintext"), response["senderUuid"]!.GetValue<string>(), response["senderE164"]?.GetValue<string>(), response["senderDevice"]!.GetValue<int>());
    }

    /// <summary><c>sealed_decrypt_to_usmc</c>: the opened, unvalidated content.</summary>
    public static JsonObject SealedDecryptToUsmc(this InteropDriver d, string client, byte[] message)
    {
        var response = d.Invoke("sealed_decrypt_to_usmc", new JsonObject { ["client"] = client, ["message"] = B64(message) });
        response.Remove("id");
        response.Remove("ok");
        response.Remove("op");
        return response;
    }

    /// <summary><c>decryption_error</c>: the DEM, its PlaintextContent and the ratchet key it names.</summary>
    public static (byte[] Message, byte[] PlaintextContent, byte[]? RatchetKey) DecryptionError(this InteropDriver d, int type, byte[] body, ulong timestamp, int senderDevice)
    {
        var response = d.Invoke("decryption_error", new JsonObject { ["type"] = type, ["body"] = B64(body), ["timestamp"] = timestamp, ["senderDevice"] = senderDevice });
        return (Bytes(response, "message"), Bytes(response, "plaintextContent"), OptionalBytes(response, "ratchetKey"));
    }

    /// <summary><c>read_plaintext_content</c>.</summary>
    public static (byte[] Message, byte[]? RatchetKey, ulong Timestamp, int SenderDevice) ReadPlaintextContent(this InteropDriver d, byte[] body)
    {
        var response = d.Invoke("read_plaintext_content", new JsonObject { ["body"] = B64(body) });
        return (Bytes(response, "message"), OptionalBytes(response, "ratchetKey"), response["timestamp"]!.GetValue<ulong>(), response["senderDevice"]!.GetValue<int>());
    }

    /// <summary><c>ratchet_key_matches</c>.</summary>
    public static bool RatchetKeyMatches(this InteropDriver d, string client, DriverAddress remote, byte[] ratchetKey) =>
        d.Invoke("ratchet_key_matches", new JsonObject { ["client"] = client, ["remote"] = remote.ToJson(), ["ratchetKey"] = B64(ratchetKey) })["matches"]!.GetValue<bool>();

    /// <summary><c>delete_session</c>.</summary>
    public static void DeleteSession(this InteropDriver d, string client, DriverAddress remote) =>
        d.Invoke("delete_session", new JsonObject { ["client"] = client, ["remote"] = remote.ToJson() });

    /// <summary><c>sign_alternate_identity</c>.</summary>
    public static byte[] SignAlternateIdentity(this InteropDriver d, string client, byte[] otherIdentityKey) =>
        Bytes(d.Invoke("sign_alternate_identity", new JsonObject { ["client"] = client, ["otherIdentityKey"] = B64(otherIdentityKey) }), "signature");

    /// <summary><c>verify_alternate_identity</c>.</summary>
    public static bool VerifyAlternateIdentity(this InteropDriver d, byte[] identityKey, byte[] otherIdentityKey, byte[] signature) =>
        d.Invoke("verify_alternate_identity", new JsonObject { ["identityKey"] = B64(identityKey), ["otherIdentityKey"] = B64(otherIdentityKey), ["signature"] = B64(signature) })["valid"]!.GetValue<bool>();
}
