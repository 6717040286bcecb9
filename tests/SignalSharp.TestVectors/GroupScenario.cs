using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Diagnostics;
using SignalSharp.Groups;

namespace SignalSharp.TestVectors;

/// <summary>
/// A sender-key group conversation: Alice creates her chain, Bob processes the distribution message (as it
/// would arrive over their 1:1 session) and decrypts Alice's group messages, one of them out of order.
/// </summary>
internal static class GroupScenario
{
    public const string Scenario = "group-sender-key";

    private static readonly Guid DistributionId = new("d1571b00-0000-4000-8000-0000000000d1");
    private static readonly Guid AliceAci = new("a11ce000-0000-4000-8000-00000000000a");
    private static readonly Guid BobAci = new("b0b00000-0000-4000-8000-00000000000b");

    public static async Task<JsonObject> RecordAsync()
    {
        var recorder = new VectorRecorder();
        using var listening = ProtocolTrace.Listen(recorder);
        using var alice = Party.Create(recorder, Scenario, "alice", AliceAci, 1);
        using var bob = Party.Create(recorder, Scenario, "bob", BobAci, 1);
        using var aliceKeys = new InMemorySenderKeyStore();
        using var bobKeys = new InMemorySenderKeyStore();
        var aliceCipher = new GroupCipher(aliceKeys, alice.Random);
        var bobCipher = new GroupCipher(bobKeys, bob.Random);

        var step = recorder.Begin("alice", "create_distribution_message");
        var distribution = await aliceCipher.CreateDistributionMessageAsync(alice.Address, DistributionId);
        step["distributionMessage"] = Hex.Of(distribution.Serialize());
        step["fields"] = MessageFields.Of(distribution);
        recorder.End();
        using (var record = await aliceKeys.LoadSenderKeyAsync(alice.Address, DistributionId))
        {
            var state = record!.CurrentState!;
            alice.Keys["senderKeySigningKey"] = Party.KeyPair(state.SigningPrivateKey!.Serialize(), state.SigningPublicKey.Serialize());
        }

        step = recorder.Begin("bob", "process_distribution_message");
        step["distributionMessage"] = Hex.Of(distribution.Serialize());
        await bobCipher.ProcessDistributionMessageAsync(alice.Address, distribution.Serialize());
        recorder.End();

        var messages = new List<(string Id, byte[] Bytes)>();
        for (int i = 1; i <= 4; i++)
        {
            var text = $"group message {i}";
            var plaintext = Encoding.UTF8.GetBytes(text);
            step = recorder.Begin("alice", "group_encrypt");
            var id = $"g{i}";
            step["messageId"] = id;
            step["plaintext"] = Hex.Of(plaintext);
            step["plaintextText"] = text;
            var message = await aliceCipher.EncryptAsync(alice.Address, DistributionId, plaintext);
            step["messageType"] = (int)message.Type;
            step["message"] = Hex.Of(message.Serialize());
            step["fields"] = MessageFields.Of(message);
            recorder.End();
            messages.Add((id, message.Serialize()));
        }

        foreach (int i in new[] { 1, 3, 2, 4 })
        {
            var (id, bytes) = messages[i - 1];
            step = recorder.Begin("bob", "group_decrypt");
            step["messageId"] = id;
            var plaintext = await bobCipher.DecryptAsync(alice.Address, bytes);
            step["plaintext"] = Hex.Of(plaintext);
            recorder.End();
        }

        return new JsonObject
        {
            ["format"] = VectorFormat.Name,
            ["scenario"] = Scenario,
            ["kind"] = "group",
            ["description"] = "Alice creates her sender-key chain for one distribution id; Bob processes her distribution message and decrypts her four group messages in the order g1, g3, g2, g4.",
            ["randomness"] = VectorFormat.RandomnessNote,
            ["distributionId"] = DistributionId.ToString(),
            ["parties"] = new JsonObject { ["alice"] = alice.Describe(), ["bob"] = bob.Describe() },
            ["steps"] = recorder.Steps,
        };
    }
}
