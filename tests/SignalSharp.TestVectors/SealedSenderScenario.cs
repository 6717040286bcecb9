using System.Text;
using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.SealedSender;

namespace SignalSharp.TestVectors;

/// <summary>
/// Sealed sender over a PQXDH session: a server with its trust root certifies Alice, Alice seals one message to
/// Bob with v1 and one with v2 (one recipient, one excluded ServiceId), the server splits the v2 upload, and Bob
/// opens, validates and decrypts both. Bob never sends, so libsignal can replay every step as Bob.
/// </summary>
internal static class SealedSenderScenario
{
    public const string Scenario = "sealed-sender";

    private const uint ServerKeyId = 1;

    private static readonly string CarolAci = "c0c00000-0000-4000-8000-00000000000c";

    private static readonly byte[] GroupId = Convert.FromHexString("67a0000000000000000000000000000000000000000000000000000000000067");

    /// <summary>A day after the vector's clock, so validation at the clock passes.</summary>
    private static ulong Expiration => FixedTime.NowMilliseconds + 86_400_000;

    public static Task<JsonObject> RecordAsync() => SessionConversation.RecordAsync(
        Scenario,
        "A server with its own trust root issues a server certificate and a sender certificate for Alice. Alice starts a session from Bob's bundle and sends him two messages under sealed sender: s1 sealed with v1 (content hint Default, no group id), s2 sealed once with v2 for Bob, with Carol's ServiceId excluded (content hint Resendable, with a group id). The server splits the v2 upload; Bob opens both envelopes, validates the certificate at the vector's clock and decrypts the PreKey messages inside.",
        withOneTimePreKey: true,
        RunAsync,
        kind: "sealed_sender");

    private static async Task RunAsync(SessionConversation c)
    {
        var seed = Encoding.UTF8.GetBytes($"SignalSharp test vector/{c.Scenario}/server");
        var random = new SeededRandom("server", seed, c.Recorder);
        var server = new JsonObject { ["seed"] = Hex.Of(seed), ["seedText"] = Encoding.UTF8.GetString(seed) };
        c.OtherParties["server"] = server;

        c.Recorder.Begin("server", "generate_trust_root");
        using var trustRoot = EcPrivateKey.Generate(random);
        server["trustRoot"] = Party.KeyPair(trustRoot.Serialize(), trustRoot.PublicKey.Serialize());
        c.Recorder.Begin("server", "generate_server_key");
        using var serverKey = EcPrivateKey.Generate(random);
        server["serverKey"] = Party.KeyPair(serverKey.Serialize(), serverKey.PublicKey.Serialize());

        var step = c.Recorder.Begin("server", "create_server_certificate");
        var serverCertificate = ServerCertificate.Create(trustRoot, ServerKeyId, serverKey.PublicKey, random);
        step["serverCertificate"] = Hex.Of(serverCertificate.Serialize());
        step["fields"] = new JsonObject
        {
            ["certificate"] = Hex.Of(serverCertificate.Certificate),
            ["keyId"] = serverCertificate.KeyId,
            ["key"] = Hex.Of(serverCertificate.Key.Serialize()),
            ["signature"] = Hex.Of(serverCertificate.Signature),
        };

        step = c.Recorder.Begin("server", "create_sender_certificate");
        var certificate = SenderCertificate.Create(c.Alice.Address.Name, null, c.Alice.Address.DeviceId, c.Alice.Identity.IdentityKey, Expiration, serverCertificate, serverKey, random);
        step["senderCertificate"] = Hex.Of(certificate.Serialize());
        step["fields"] = new JsonObject
        {
            ["certificate"] = Hex.Of(certificate.Certificate),
            ["senderUuid"] = certificate.SenderUuid,
            ["senderE164"] = certificate.SenderE164,
            ["senderDevice"] = certificate.SenderDeviceId,
            ["expires"] = certificate.Expiration,
            ["identityKey"] = Hex.Of(certificate.IdentityKey.Serialize()),
            ["signature"] = Hex.Of(certificate.Signature),
        };
        c.Recorder.End();

        using var aliceSealed = new SealedSessionCipher(c.Alice.Store, c.Alice.Address, FixedTime.Instance, c.Alice.Random);
        using var bobSealed = new SealedSessionCipher(c.Bob.Store, c.Bob.Address, FixedTime.Instance, c.Bob.Random);

        // s1: sealed sender v1.
        step = c.Recorder.Begin("alice", "sealed_encrypt");
        var content = await InnerAsync(c, step, "s1", "sealed with v1", certificate, ContentHint.Default, default);
        byte[] v1 = await aliceSealed.EncryptAsync(c.Bob.Address, content);
        step["version"] = 1;
        step["message"] = Hex.Of(v1);
        step["fields"] = V1Fields(v1);
        c.Recorder.End();
        await DecryptAsync(c, bobSealed, "s1", v1, trustRoot.PublicKey);

        // s2: sealed sender v2, split by the server.
        step = c.Recorder.Begin("alice", "sealed_encrypt");
        content = await InnerAsync(c, step, "s2", "sealed with v2", certificate, ContentHint.Resendable, GroupId);
        byte[] sent = await aliceSealed.MultiRecipientEncryptAsync([c.Bob.Address], content, [CarolAci]);
        step["version"] = 2;
        step["recipients"] = new JsonArray(JsonValue.Create(c.Bob.Address.Name));
        step["excludedRecipients"] = new JsonArray(JsonValue.Create(CarolAci));
        step["message"] = Hex.Of(sent);
        step["fields"] = V2SentFields(sent);
        c.Recorder.End();

        step = c.Recorder.Begin("server", "server_split");
        step["messageId"] = "s2";
        var parsed = SealedSenderMultiRecipientMessage.Parse(sent);
        var deliveries = new JsonArray();
        byte[]? toBob = null;
        foreach (var recipient in parsed.Recipients)
        {
            byte[] delivery = parsed.MessageFor(recipient);
            toBob = recipient.ServiceId == c.Bob.Address.Name ? delivery : toBob;
            deliveries.Add(new JsonObject
            {
                ["serviceId"] = recipient.ServiceId,
                ["deviceIds"] = new JsonArray([.. recipient.DeviceIds.Select(d => JsonValue.Create(d))]),
                ["registrationIds"] = new JsonArray([.. recipient.RegistrationIds.Select(r => JsonValue.Create(r))]),
                ["message"] = Hex.Of(delivery),
                ["fields"] = V2ReceivedFields(delivery),
            });
        }

        step["recipients"] = deliveries;
        step["excludedRecipients"] = new JsonArray([.. parsed.ExcludedRecipients.Select(r => JsonValue.Create(r))]);
        c.Recorder.End();
        await DecryptAsync(c, bobSealed, "s2", toBob ?? throw new InvalidOperationException("the split has no message for Bob"), trustRoot.PublicKey);
    }

    /// <summary>Encrypts the inner 1:1 message and wraps it with the certificate; records both in <paramref name="step"/>.</summary>
    private static async Task<UnidentifiedSenderMessageContent> InnerAsync(SessionConversation c, JsonObject step, string id, string text, SenderCertificate certificate, ContentHint hint, ReadOnlyMemory<byte> groupId)
    {
        var plaintext = Encoding.UTF8.GetBytes(text);
        step["messageId"] = id;
        step["plaintext"] = Hex.Of(plaintext);
        step["plaintextText"] = text;
        var message = await new SessionCipher(c.Alice.Store, c.Alice.Address, c.Bob.Address, FixedTime.Instance, c.Alice.Random).EncryptAsync(plaintext);
        step["inner"] = new JsonObject
        {
            ["messageType"] = (int)message.Type,
            ["message"] = Hex.Of(message.Serialize()),
            ["fields"] = message is PreKeySignalMessage preKey ? MessageFields.Of(preKey) : MessageFields.Of((SignalMessage)message),
        };
        var content = new UnidentifiedSenderMessageContent(message.Type, certificate, message.Serialize(), hint, groupId.Span);
        step["usmc"] = new JsonObject
        {
            ["bytes"] = Hex.Of(content.Serialize()),
            ["type"] = message.Type == CiphertextMessageType.PreKey ? 1 : (int)message.Type,
            ["contentHint"] = (int)hint,
            ["groupId"] = groupId.IsEmpty ? null : Hex.Of(groupId.Span),
        };
        return content;
    }

    private static async Task DecryptAsync(SessionConversation c, SealedSessionCipher cipher, string id, byte[] envelope, EcPublicKey trustRoot)
    {
        var step = c.Recorder.Begin("bob", "sealed_decrypt");
        step["messageId"] = id;
        step["validationTime"] = FixedTime.NowMilliseconds;
        var result = await cipher.DecryptAsync(envelope, trustRoot, FixedTime.NowMilliseconds);
        step["sender"] = new JsonObject { ["uuid"] = result.SenderUuid, ["e164"] = result.SenderE164, ["deviceId"] = result.SenderDeviceId };
        step["contentHint"] = (int)result.ContentHint;
        step["groupId"] = result.GroupId is null ? null : Hex.Of(result.GroupId);
        step["plaintext"] = Hex.Of(result.Plaintext);
        c.Recorder.End();
    }

    /// <summary>0x11 ‖ {1 ephemeral public, 2 encrypted static, 3 encrypted message}, as the generator wrote them (tag order, one byte lengths or two).</summary>
    private static JsonObject V1Fields(byte[] sealedMessage)
    {
        var fields = new JsonObject { ["versionByte"] = Hex.Of(sealedMessage.AsSpan(0, 1)) };
        int at = 1;
        string[] names = ["ephemeralPublic", "encryptedStatic", "encryptedMessage"];
        foreach (var name in names)
        {
            at++; // the tag byte (fields 1, 2, 3, length-delimited)
            int length = 0;
            int shift = 0;
            byte b;
            do
            {
                b = sealedMessage[at++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            fields[name] = Hex.Of(sealedMessage.AsSpan(at, length));
            at += length;
        }

        return fields;
    }

    /// <summary>0x23 ‖ varint count ‖ entries ‖ E (32 raw) ‖ AES-GCM-SIV ciphertext ‖ tag, for one recipient with one device and one excluded.</summary>
    private static JsonObject V2SentFields(byte[] sent)
    {
        // Layout of this scenario: count 2; Bob's entry = ServiceId (17) ‖ device (1) ‖ BE16 registration id ‖ C ‖ AT; Carol = ServiceId ‖ 0x00.
        int at = 2;
        var bob = new JsonObject
        {
            ["serviceIdFixedWidth"] = Hex.Of(sent.AsSpan(at, 17)),
            ["deviceId"] = sent[at + 17],
            ["registrationIdField"] = Hex.Of(sent.AsSpan(at + 18, 2)),
            ["c"] = Hex.Of(sent.AsSpan(at + 20, 32)),
            ["authenticationTag"] = Hex.Of(sent.AsSpan(at + 52, 16)),
        };
        at += 68;
        var carol = new JsonObject { ["serviceIdFixedWidth"] = Hex.Of(sent.AsSpan(at, 17)), ["marker"] = Hex.Of(sent.AsSpan(at + 17, 1)) };
        at += 18;
        return new JsonObject
        {
            ["versionByte"] = Hex.Of(sent.AsSpan(0, 1)),
            ["count"] = sent[1],
            ["entries"] = new JsonArray(bob, carol),
            ["ephemeralPublic"] = Hex.Of(sent.AsSpan(at, 32)),
            ["ciphertext"] = Hex.Of(sent.AsSpan(at + 32)),
        };
    }

    private static JsonObject V2ReceivedFields(byte[] received) => new()
    {
        ["versionByte"] = Hex.Of(received.AsSpan(0, 1)),
        ["c"] = Hex.Of(received.AsSpan(1, 32)),
        ["authenticationTag"] = Hex.Of(received.AsSpan(33, 16)),
        ["ephemeralPublic"] = Hex.Of(received.AsSpan(49, 32)),
        ["ciphertext"] = Hex.Of(received.AsSpan(81)),
    };
}
