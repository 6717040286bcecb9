using SignalSharp.Crypto;
using SignalSharp.Diagnostics;
using SignalSharp.Handshake;
using SignalSharp.Ratchet;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// What PQXDH and the DH ratchet step report to a protocol trace (the test-vector recorder relies on it) and what the
/// handshake result owns: the trace names every DH input in concatenation order, the Kyber secret and the output keys;
/// disposing the handshake keys wipes them.
/// </summary>
public class KeyAgreementTraceTests
{
    private sealed class Recorder : IProtocolTraceSink
    {
        public List<(string Name, byte[] Value)> Entries { get; } = [];

        public void Record(string name, ReadOnlySpan<byte> value) => Entries.Add((name, value.ToArray()));

        public void Record(string name, ulong value) => Entries.Add((name, BitConverter.GetBytes(value)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BothSidesTraceTheSameDhValuesInOrderTheKyberSecretAndTheDerivedKeys(bool withOneTimePreKey)
    {
        using var aliceIdentity = EcPrivateKey.Generate();
        using var aliceBase = EcPrivateKey.Generate();
        using var bobIdentity = EcPrivateKey.Generate();
        using var bobSigned = EcPrivateKey.Generate();
        using var bobOneTime = EcPrivateKey.Generate();
        byte[] kyber = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var aliceTrace = new Recorder();
        PqxdhKeys alice;
        using (ProtocolTrace.Listen(aliceTrace))
        {
            alice = Pqxdh.Initiate(aliceIdentity, aliceBase, new IdentityKey(bobIdentity.PublicKey), bobSigned.PublicKey, withOneTimePreKey ? bobOneTime.PublicKey : null, kyber);
        }

        var bobTrace = new Recorder();
        PqxdhKeys bob;
        using (ProtocolTrace.Listen(bobTrace))
        {
            bob = Pqxdh.Respond(bobIdentity, bobSigned, withOneTimePreKey ? bobOneTime : null, new IdentityKey(aliceIdentity.PublicKey), aliceBase.PublicKey, kyber);
        }

        var expected = new List<(string, byte[])>
        {
            ("pqxdh.dh1", aliceIdentity.CalculateAgreement(bobSigned.PublicKey)),
            ("pqxdh.dh2", aliceBase.CalculateAgreement(bobIdentity.PublicKey)),
            ("pqxdh.dh3", aliceBase.CalculateAgreement(bobSigned.PublicKey)),
        };
        if (withOneTimePreKey)
        {
            expected.Add(("pqxdh.dh4", aliceBase.CalculateAgreement(bobOneTime.PublicKey)));
        }

        expected.Add(("pqxdh.kyber_shared_secret", kyber));
        expected.Add(("pqxdh.root_key", alice.RootKey));
        expected.Add(("pqxdh.chain_key", alice.ChainKey));
        expected.Add(("pqxdh.spqr_auth_key", alice.SpqrAuthKey));
        static string[] Show(IEnumerable<(string Name, byte[] Value)> entries) => [.. entries.Select(e => e.Name + "=" + Convert.ToHexString(e.Value))];
        Assert.Equal(Show(expected), Show(aliceTrace.Entries));
        Assert.Equal(Show(expected), Show(bobTrace.Entries));
        alice.Dispose();
        bob.Dispose();
    }

    [Fact]
    public void DisposingTheHandshakeKeysWipesAllThree()
    {
        using var aliceIdentity = EcPrivateKey.Generate();
        using var aliceBase = EcPrivateKey.Generate();
        using var bobIdentity = EcPrivateKey.Generate();
        using var bobSigned = EcPrivateKey.Generate();
        var keys = Pqxdh.Initiate(aliceIdentity, aliceBase, new IdentityKey(bobIdentity.PublicKey), bobSigned.PublicKey, null, new byte[32]);
        byte[] root = keys.RootKey, chain = keys.ChainKey, auth = keys.SpqrAuthKey;
        Assert.Contains(root, b => b != 0);

        keys.Dispose();

        Assert.All([root, chain, auth], key => Assert.All(key, b => Assert.Equal(0, b)));
    }

    [Fact]
    public void TheRatchetStepTracesItsKeysTheDhAndBothRootKeysAndLeavesTheCallersPrivateKeyIntact()
    {
        using var ours = EcPrivateKey.Generate();
        using var theirs = EcPrivateKey.Generate();
        byte[] rootIn = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        var trace = new Recorder();
        (byte[] root, byte[] chain) step;
        using (ProtocolTrace.Listen(trace))
        {
            step = RootKdf.Step(rootIn, ours, theirs.PublicKey);
        }

        byte[] dh = ours.CalculateAgreement(theirs.PublicKey);
        byte[] okm = SignalHkdf.DeriveKey(dh, rootIn, "WhisperRatchet"u8, 64);
        Assert.Equal(okm[..32], step.root);
        Assert.Equal(okm[32..], step.chain);
        string[] expected =
        [
            "ratchet.our_private_key=" + Convert.ToHexString(ours.Serialize()),
            "ratchet.our_public_key=" + Convert.ToHexString(ours.PublicKey.PublicKeyBytes),
            "ratchet.their_public_key=" + Convert.ToHexString(theirs.PublicKey.PublicKeyBytes),
            "ratchet.dh=" + Convert.ToHexString(dh),
            "ratchet.root_key_in=" + Convert.ToHexString(rootIn),
            "ratchet.root_key=" + Convert.ToHexString(okm[..32]),
            "ratchet.chain_key=" + Convert.ToHexString(okm[32..]),
        ];
        Assert.Equal(expected, trace.Entries.Select(e => e.Name + "=" + Convert.ToHexString(e.Value)));
        Assert.Equal(dh, ours.CalculateAgreement(theirs.PublicKey));
    }
}
