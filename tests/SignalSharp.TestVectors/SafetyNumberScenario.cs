using System.Text.Json.Nodes;
using SignalSharp.Fingerprints;

namespace SignalSharp.TestVectors;

/// <summary>
/// A safety number between two identity keys from seeded streams, with both parties' 64-byte hash-chain
/// outputs (the intermediates the digits and the scannable form are cut from) and both parties' views.
/// </summary>
internal static class SafetyNumberScenario
{
    public const string Scenario = "safety-number";
    public const int ScannableVersion = 2;

    private static readonly Guid AliceAci = new("a11ce000-0000-4000-8000-00000000000a");
    private static readonly Guid BobAci = new("b0b00000-0000-4000-8000-00000000000b");

    public static JsonObject Record()
    {
        var recorder = new VectorRecorder();
        using var alice = Party.Create(recorder, Scenario, "alice", AliceAci, 1);
        using var bob = Party.Create(recorder, Scenario, "bob", BobAci, 1);
        recorder.End();

        // The stable identifier Signal uses for an ACI: its 16 UUID bytes in RFC 4122 (big-endian) order.
        var aliceId = AliceAci.ToByteArray(bigEndian: true);
        var bobId = BobAci.ToByteArray(bigEndian: true);
        var aliceKey = alice.Identity.IdentityKey.Serialize();
        var bobKey = bob.Identity.IdentityKey.Serialize();
        int iterations = NumericFingerprintGenerator.DefaultIterations;
        var generator = new NumericFingerprintGenerator(iterations);
        var aliceView = generator.CreateFor(ScannableVersion, aliceId, alice.Identity.IdentityKey, bobId, bob.Identity.IdentityKey);
        var bobView = generator.CreateFor(ScannableVersion, bobId, bob.Identity.IdentityKey, aliceId, alice.Identity.IdentityKey);
        if (aliceView.DisplayableFingerprint.DisplayText != bobView.DisplayableFingerprint.DisplayText
            || !aliceView.ScannableFingerprint.CompareTo(bobView.ScannableFingerprint.Serialize()))
        {
            throw new InvalidOperationException("the two views of the safety number disagree");
        }

        Span<byte> aliceHash = stackalloc byte[64];
        Span<byte> bobHash = stackalloc byte[64];
        FingerprintHashChain.Compute([0x00, 0x00], aliceKey, aliceId, bobKey, bobId, iterations, aliceHash, bobHash);

        return new JsonObject
        {
            ["format"] = VectorFormat.Name,
            ["scenario"] = Scenario,
            ["kind"] = "safety_number",
            ["description"] = "The safety number of Alice's and Bob's identity keys with their ACIs as stable identifiers: the iterated SHA-512 chain of each party, the 60 displayable digits and the scannable encoding as each party computes it.",
            ["randomness"] = VectorFormat.RandomnessNote,
            ["parties"] = new JsonObject { ["alice"] = alice.Describe(), ["bob"] = bob.Describe() },
            ["iterations"] = iterations,
            ["scannableVersion"] = ScannableVersion,
            ["alice"] = new JsonObject
            {
                ["stableIdentifier"] = Hex.Of(aliceId),
                ["identityKey"] = Hex.Of(aliceKey),
                ["hashChainOutput"] = Hex.Of(aliceHash),
            },
            ["bob"] = new JsonObject
            {
                ["stableIdentifier"] = Hex.Of(bobId),
                ["identityKey"] = Hex.Of(bobKey),
                ["hashChainOutput"] = Hex.Of(bobHash),
            },
            ["displayable"] = aliceView.DisplayableFingerprint.DisplayText,
            ["scannableAlice"] = Hex.Of(aliceView.ScannableFingerprint.Serialize()),
            ["scannableBob"] = Hex.Of(bobView.ScannableFingerprint.Serialize()),
            ["steps"] = recorder.Steps,
        };
    }
}
