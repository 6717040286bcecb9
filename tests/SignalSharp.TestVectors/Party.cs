using System.Text;
using System.Text.Json.Nodes;
using SignalSharp;

namespace SignalSharp.TestVectors;

/// <summary>One device in a vector: its address, its seeded randomness, its identity and its in-memory stores.</summary>
internal sealed class Party : IDisposable
{
    private Party(string label, ProtocolAddress address, byte[] seed, SeededRandom random, IdentityKeyPair identity, uint registrationId)
    {
        Label = label;
        Address = address;
        Seed = seed;
        Random = random;
        Identity = identity;
        RegistrationId = registrationId;
        Store = new InMemorySignalProtocolStore(identity, registrationId);
    }

    public string Label { get; }

    public ProtocolAddress Address { get; }

    public byte[] Seed { get; }

    public SeededRandom Random { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public InMemorySignalProtocolStore Store { get; }

    /// <summary>The party's keys as the vector lists them (filled in as they are generated).</summary>
    public JsonObject Keys { get; } = new();

    /// <summary>
    /// Creates the party; its seed is the UTF-8 string "SignalSharp test vector/&lt;scenario&gt;/&lt;label&gt;", and its first
    /// two draws (recorded as a step) are the identity key and the registration id.
    /// </summary>
    public static Party Create(VectorRecorder recorder, string scenario, string label, Guid aci, int deviceId)
    {
        var seed = Encoding.UTF8.GetBytes($"SignalSharp test vector/{scenario}/{label}");
        var random = new SeededRandom(label, seed, recorder);
        recorder.Begin(label, "generate_identity");
        var identity = IdentityKeyPair.Generate(random);
        uint registrationId = KeyHelper.GenerateRegistrationId(random);
        recorder.End();
        var party = new Party(label, new ProtocolAddress(aci.ToString(), deviceId), seed, random, identity, registrationId);
        party.Keys["identityKey"] = KeyPair(identity.PrivateKey.Serialize(), identity.IdentityKey.Serialize());
        return party;
    }

    public JsonObject Describe()
    {
        var party = new JsonObject
        {
            ["address"] = new JsonObject { ["name"] = Address.Name, ["deviceId"] = Address.DeviceId },
            ["seed"] = Hex.Of(Seed),
            ["seedText"] = Encoding.UTF8.GetString(Seed),
            ["registrationId"] = RegistrationId,
        };
        foreach (var (name, value) in Keys)
        {
            party[name] = value!.DeepClone();
        }

        return party;
    }

    public static JsonObject KeyPair(byte[] privateKey, byte[] publicKey) => new()
    {
        ["private"] = Hex.Of(privateKey),
        ["public"] = Hex.Of(publicKey),
    };

    public void Dispose()
    {
        Identity.Dispose();
    }
}
