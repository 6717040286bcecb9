using System.Text;
using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.Diagnostics;

namespace SignalSharp.TestVectors;

/// <summary>
/// A 1:1 conversation between two SignalSharp devices, Alice (the initiator) and Bob, recorded step by step:
/// Bob's pre-keys, the bundle Alice fetches, PQXDH, then every encryption and decryption in the scripted order.
/// </summary>
internal sealed class SessionConversation : IDisposable
{
    public const uint SignedPreKeyId = 1;
    public const uint OneTimePreKeyId = 7;
    public const uint KyberPreKeyId = 3;

    private static readonly Guid AliceAci = new("a11ce000-0000-4000-8000-00000000000a");
    private static readonly Guid BobAci = new("b0b00000-0000-4000-8000-00000000000b");

    private readonly Dictionary<string, (Party From, CiphertextMessage Message)> _messages = [];

    private SessionConversation(VectorRecorder recorder, Party alice, Party bob)
    {
        Recorder = recorder;
        Alice = alice;
        Bob = bob;
    }

    public VectorRecorder Recorder { get; }

    public Party Alice { get; }

    public Party Bob { get; }

    /// <summary>Runs <paramref name="script"/> after the session set-up and returns the whole vector.</summary>
    public static async Task<JsonObject> RecordAsync(string scenario, string description, bool withOneTimePreKey, Func<SessionConversation, Task> script)
    {
        var recorder = new VectorRecorder();

        // Opened here, in the method that awaits every traced operation, so the async-local sink flows into them.
        using var listening = ProtocolTrace.Listen(recorder);
        using var alice = Party.Create(recorder, scenario, "alice", AliceAci, 1);
        using var bob = Party.Create(recorder, scenario, "bob", BobAci, 1);
        using var conversation = new SessionConversation(recorder, alice, bob);
        var bundle = await conversation.PublishBobsPreKeysAsync(withOneTimePreKey);

        recorder.Begin("alice", "process_bundle");
        await new SessionBuilder(alice.Store, bob.Address, FixedTime.Instance, alice.Random).ProcessPreKeyBundleAsync(bundle);
        recorder.End();

        await script(conversation);
        recorder.End();

        return new JsonObject
        {
            ["format"] = VectorFormat.Name,
            ["scenario"] = scenario,
            ["kind"] = "session",
            ["description"] = description,
            ["randomness"] = VectorFormat.RandomnessNote,
            ["time"] = FixedTime.Now.ToString("O"),
            ["parties"] = new JsonObject { ["alice"] = alice.Describe(), ["bob"] = bob.Describe() },
            ["bundle"] = Describe(bundle),
            ["steps"] = recorder.Steps,
        };
    }

    /// <summary>Encrypts <paramref name="text"/> from <paramref name="from"/> to the other party; returns the message id.</summary>
    public async Task<string> SendAsync(Party from, string text)
    {
        var to = from == Alice ? Bob : Alice;
        var id = $"m{_messages.Count + 1}";
        var plaintext = Encoding.UTF8.GetBytes(text);
        var step = Recorder.Begin(from.Label, "encrypt");
        step["messageId"] = id;
        step["plaintext"] = Hex.Of(plaintext);
        step["plaintextText"] = text;
        var message = await new SessionCipher(from.Store, from.Address, to.Address, FixedTime.Instance, from.Random).EncryptAsync(plaintext);
        step["messageType"] = (int)message.Type;
        step["message"] = Hex.Of(message.Serialize());
        step["fields"] = message switch
        {
            PreKeySignalMessage preKey => MessageFields.Of(preKey),
            SignalMessage signal => MessageFields.Of(signal),
            _ => throw new InvalidOperationException($"unexpected message kind {message.Type}"),
        };
        Recorder.End();
        _messages.Add(id, (from, message));
        return id;
    }

    /// <summary>Decrypts message <paramref name="id"/> at its recipient and checks the plaintext.</summary>
    public async Task DeliverAsync(string id)
    {
        var (from, message) = _messages[id];
        var to = from == Alice ? Bob : Alice;
        var step = Recorder.Begin(to.Label, "decrypt");
        step["messageId"] = id;
        var cipher = new SessionCipher(to.Store, to.Address, from.Address, FixedTime.Instance, to.Random);
        var bytes = message.Serialize();
        byte[] plaintext = message.Type == CiphertextMessageType.PreKey
            ? await cipher.DecryptAsync(PreKeySignalMessage.Deserialize(bytes))
            : await cipher.DecryptAsync(SignalMessage.Deserialize(bytes));
        step["plaintext"] = Hex.Of(plaintext);
        Recorder.End();
    }

    /// <summary>The braid epoch <paramref name="party"/>'s next message will carry.</summary>
    public async Task<long> SpqrEpochAsync(Party party)
    {
        var other = party == Alice ? Bob : Alice;
        var record = await party.Store.LoadSessionAsync(other.Address) ?? throw new InvalidOperationException("no session");
        return record.Current!.Spqr.CurrentEpoch;
    }

    public void Dispose()
    {
    }

    private async Task<PreKeyBundle> PublishBobsPreKeysAsync(bool withOneTimePreKey)
    {
        Recorder.Begin("bob", "generate_signed_pre_key");
        var signed = SignedPreKeyRecord.Generate(Bob.Identity, SignedPreKeyId, FixedTime.NowMilliseconds, Bob.Random);
        Recorder.End();
        await Bob.Store.StoreSignedPreKeyAsync(SignedPreKeyId, signed);
        var signedKeys = Party.KeyPair(signed.KeyPair.PrivateKey.Serialize(), signed.PublicKey.Serialize());
        signedKeys.Insert(0, "id", SignedPreKeyId);
        signedKeys.Insert(1, "timestamp", signed.Timestamp);
        signedKeys["signature"] = Hex.Of(signed.Signature);
        Bob.Keys["signedPreKey"] = signedKeys;

        PreKeyRecord? oneTime = null;
        if (withOneTimePreKey)
        {
            Recorder.Begin("bob", "generate_one_time_pre_key");
            oneTime = new PreKeyRecord(OneTimePreKeyId, EcKeyPair.Generate(Bob.Random));
            Recorder.End();
            await Bob.Store.StorePreKeyAsync(OneTimePreKeyId, oneTime);
            var oneTimeKeys = Party.KeyPair(oneTime.KeyPair.PrivateKey.Serialize(), oneTime.PublicKey.Serialize());
            oneTimeKeys.Insert(0, "id", OneTimePreKeyId);
            Bob.Keys["oneTimePreKey"] = oneTimeKeys;
        }

        Recorder.Begin("bob", "generate_kyber_pre_key");
        var kyber = KyberPreKeyRecord.Generate(Bob.Identity, KyberPreKeyId, FixedTime.NowMilliseconds, isLastResort: false, Bob.Random);
        Recorder.End();
        await Bob.Store.StoreKyberPreKeyAsync(KyberPreKeyId, kyber);
        Bob.Keys["kyberPreKey"] = new JsonObject
        {
            ["id"] = KyberPreKeyId,
            ["timestamp"] = kyber.Timestamp,
            ["lastResort"] = kyber.IsLastResort,
            ["secret"] = Hex.Of(kyber.KeyPair.SecretKey.Serialize()),
            ["public"] = Hex.Of(kyber.PublicKey.Serialize()),
            ["signature"] = Hex.Of(kyber.Signature),
        };

        return new PreKeyBundle(
            Bob.RegistrationId,
            Bob.Address.DeviceId,
            oneTime?.Id,
            oneTime?.PublicKey,
            SignedPreKeyId,
            signed.PublicKey,
            signed.Signature,
            Bob.Identity.IdentityKey,
            KyberPreKeyId,
            kyber.PublicKey,
            kyber.Signature);
    }

    private static JsonObject Describe(PreKeyBundle bundle) => new()
    {
        ["registrationId"] = bundle.RegistrationId,
        ["deviceId"] = bundle.DeviceId,
        ["preKeyId"] = bundle.PreKeyId,
        ["preKey"] = bundle.PreKey is null ? null : Hex.Of(bundle.PreKey.Serialize()),
        ["signedPreKeyId"] = bundle.SignedPreKeyId,
        ["signedPreKey"] = Hex.Of(bundle.SignedPreKey.Serialize()),
        ["signedPreKeySignature"] = Hex.Of(bundle.SignedPreKeySignature),
        ["identityKey"] = Hex.Of(bundle.IdentityKey.Serialize()),
        ["kyberPreKeyId"] = bundle.KyberPreKeyId,
        ["kyberPreKey"] = Hex.Of(bundle.KyberPreKey.Serialize()),
        ["kyberPreKeySignature"] = Hex.Of(bundle.KyberPreKeySignature),
    };
}
