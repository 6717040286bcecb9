using System.Numerics;
using System.Text.Json.Nodes;
using SignalSharp;
using SignalSharp.TestSupport;
using Xunit;

namespace SignalSharp.Tests.Curves;

/// <summary>Starts tests/node/primitives.mjs (libsignal 0.103 as a black box) once for the interop tests.</summary>
public sealed class LibsignalPrimitivesPeer : IDisposable
{
    public LibsignalPrimitivesPeer() => Process = JsonLinesProcess.StartNode("primitives.mjs");

    public JsonLinesProcess Process { get; }

    public void Dispose() => Process.Dispose();
}

/// <summary>
/// XEdDSA, X25519 and key encodings against the official libsignal (npm @signalapp/libsignal-client 0.103.0)
/// driven through tests/node/primitives.mjs. Batched: each test makes a handful of round trips.
/// </summary>
public class LibsignalCurveInteropTests(LibsignalPrimitivesPeer peer) : IClassFixture<LibsignalPrimitivesPeer>
{
    private const int Count = 1000;
    private readonly JsonLinesProcess _node = peer.Process;
    private readonly Random _rng = new(20261126);

    private static string B64(ReadOnlySpan<byte> b) => Convert.ToBase64String(b);

    private static byte[] Bin(JsonNode? n) => Convert.FromBase64String(n!.GetValue<string>());

    private byte[] RandomMessage()
    {
        var m = new byte[_rng.Next(0, 200)];
        _rng.NextBytes(m);
        return m;
    }

    private byte[] Tamper(byte[] sig)
    {
        var t = (byte[])sig.Clone();
        int bit = _rng.Next(512);
        t[bit / 8] ^= (byte)(1 << (bit % 8));
        return t;
    }

    private JsonObject Call(string op, JsonNode payload, string name = "items")
        => _node.Call(new JsonObject { ["op"] = op, [name] = payload });

    [Fact]
    public void OurSignaturesVerifyInLibsignalAndTamperedOnesFailOnBothSides()
    {
        var items = new JsonArray();
        var expected = new List<bool>();
        for (int i = 0; i < Count; i++)
        {
            using var key = EcPrivateKey.Generate();
            var msg = RandomMessage();
            var sig = key.CalculateSignature(msg);
            var pub = key.PublicKey.Serialize();
            var tampered = Tamper(sig);
            Assert.True(key.PublicKey.VerifySignature(msg, sig));
            Assert.False(key.PublicKey.VerifySignature(msg, tampered));
            items.Add(new JsonObject { ["pub"] = B64(pub), ["msg"] = B64(msg), ["sig"] = B64(sig) });
            items.Add(new JsonObject { ["pub"] = B64(pub), ["msg"] = B64(msg), ["sig"] = B64(tampered) });
            expected.Add(true);
            expected.Add(false);
        }

        var results = Call("verify", items)["results"]!.AsArray().Select(r => r!.GetValue<bool>()).ToList();
        Assert.Equal(expected, results);
    }

    [Fact]
    public void LibsignalSignaturesVerifyHereAndTamperedOnesFailOnBothSides()
    {
        var keys = Call("generate", Count, "count")["keys"]!.AsArray();
        var signItems = new JsonArray();
        var messages = new List<byte[]>();
        foreach (var k in keys)
        {
            var msg = RandomMessage();
            messages.Add(msg);
            signItems.Add(new JsonObject { ["priv"] = k!["priv"]!.GetValue<string>(), ["msg"] = B64(msg) });
        }

        var sigs = Call("sign", signItems)["sigs"]!.AsArray();
        var verifyItems = new JsonArray();
        for (int i = 0; i < Count; i++)
        {
            var pub = EcPublicKey.Deserialize(Bin(keys[i]!["pub"]));
            var sig = Bin(sigs[i]);
            Assert.True(pub.VerifySignature(messages[i], sig), $"libsignal signature {i} rejected");
            var tampered = Tamper(sig);
            Assert.False(pub.VerifySignature(messages[i], tampered));
            verifyItems.Add(new JsonObject { ["pub"] = keys[i]!["pub"]!.GetValue<string>(), ["msg"] = B64(messages[i]), ["sig"] = B64(tampered) });
        }

        Assert.All(Call("verify", verifyItems)["results"]!.AsArray(), r => Assert.False(r!.GetValue<bool>()));
    }

    [Fact]
    public void X25519AgreementMatchesLibsignalBothWays()
    {
        var theirs = Call("generate", Count, "count")["keys"]!.AsArray();
        var items = new JsonArray();
        var ours = new List<EcPrivateKey>();
        try
        {
            foreach (var k in theirs)
            {
                var key = EcPrivateKey.Generate();
                ours.Add(key);
                items.Add(new JsonObject { ["priv"] = k!["priv"]!.GetValue<string>(), ["pub"] = B64(key.PublicKey.Serialize()) });
            }

            var results = Call("agree", items)["results"]!.AsArray();
            for (int i = 0; i < Count; i++)
            {
                Assert.True(results[i]!["ok"]!.GetValue<bool>());
                var here = ours[i].CalculateAgreement(EcPublicKey.Deserialize(Bin(theirs[i]!["pub"])));
                Assert.Equal(Bin(results[i]!["shared"]), here);
            }
        }
        finally
        {
            ours.ForEach(k => k.Dispose());
        }
    }

    [Fact]
    public void SmallOrderAgreementFailsOnBothSides()
    {
        using var key = EcPrivateKey.Generate();
        var smallOrder = new[] { "00", "01", "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800" }
            .Select(h => Convert.FromHexString(h.PadRight(64, '0'))).ToList();
        var items = new JsonArray();
        foreach (var u in smallOrder)
        {
            Assert.Throws<InvalidKeyException>(() => key.CalculateAgreement(EcPublicKey.FromPublicKeyBytes(u)));
            items.Add(new JsonObject { ["priv"] = B64(key.Serialize()), ["pub"] = B64(EcPublicKey.FromPublicKeyBytes(u).Serialize()) });
        }

        Assert.All(Call("agree", items)["results"]!.AsArray(), r => Assert.False(r!["ok"]!.GetValue<bool>()));
    }

    [Fact]
    public void LibsignalKeysParseHereAndOursParseThere()
    {
        // Theirs → ours.
        var theirs = Call("generate", 100, "count")["keys"]!.AsArray();
        foreach (var k in theirs)
        {
            using var priv = EcPrivateKey.Deserialize(Bin(k!["priv"]));
            Assert.Equal(Bin(k["priv"]), priv.Serialize());
            Assert.Equal(EcPublicKey.Deserialize(Bin(k["pub"])), priv.PublicKey);
        }

        foreach (var p in Call("generateIdentityKeyPair", 100, "count")["pairs"]!.AsArray())
        {
            var bytes = Bin(p);
            using var pair = IdentityKeyPair.Deserialize(bytes);
            Assert.Equal(bytes, pair.Serialize());
            using var derived = EcPrivateKey.Deserialize(pair.PrivateKey.Serialize());
            Assert.Equal(pair.IdentityKey.PublicKey, derived.PublicKey);
        }

        // Ours → theirs, including unclamped private keys (both sides clamp on load) and trailing public-key bytes.
        var pubs = new JsonArray();
        var privs = new JsonArray();
        var pairs = new JsonArray();
        var expectedPubs = new List<string>();
        var expectedPrivs = new List<string>();
        var expectedPairs = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            var raw = new byte[32];
            _rng.NextBytes(raw);
            using var priv = EcPrivateKey.Deserialize(raw);
            var pub = priv.PublicKey.Serialize();
            pubs.Add(B64(i % 2 == 0 ? pub : [.. pub, 0xAB]));
            expectedPubs.Add(B64(pub));
            privs.Add(B64(raw));
            expectedPrivs.Add(B64(priv.Serialize()) + "|" + B64(pub));
            using var pair = new IdentityKeyPair(EcPrivateKey.Deserialize(raw));
            pairs.Add(B64(pair.Serialize()));
            expectedPairs.Add(B64(pair.Serialize()));
        }

        var pubResults = Call("deserializePublic", pubs)["results"]!.AsArray();
        Assert.Equal(expectedPubs, pubResults.Select(r => r!["pub"]!.GetValue<string>()));
        var privResults = Call("deserializePrivate", privs)["results"]!.AsArray();
        Assert.Equal(expectedPrivs, privResults.Select(r => r!["priv"]!.GetValue<string>() + "|" + r["pub"]!.GetValue<string>()));
        var pairResults = Call("deserializeIdentityKeyPair", pairs)["results"]!.AsArray();
        Assert.Equal(expectedPairs, pairResults.Select(r => r!["serialized"]!.GetValue<string>()));
    }

    [Fact]
    public void MalformedKeysAreRejectedOnBothSides()
    {
        var good = EcKeyPair.Generate().PublicKey.Serialize();
        byte[] wrongType = [.. good];
        wrongType[0] = 0x06;
        var cases = new[] { good[..32], wrongType, Array.Empty<byte>(), good[..1] };
        foreach (var c in cases)
        {
            Assert.Throws<InvalidKeyException>(() => EcPublicKey.Deserialize(c));
        }

        Assert.All(Call("deserializePublic", new JsonArray(cases.Select(c => (JsonNode)B64(c)).ToArray()))["results"]!.AsArray(),
            r => Assert.False(r!["ok"]!.GetValue<bool>()));

        var badPrivs = new[] { new byte[31], new byte[33], Array.Empty<byte>() };
        foreach (var c in badPrivs)
        {
            Assert.Throws<InvalidKeyException>(() => EcPrivateKey.Deserialize(c));
        }

        Assert.All(Call("deserializePrivate", new JsonArray(badPrivs.Select(c => (JsonNode)B64(c)).ToArray()))["results"]!.AsArray(),
            r => Assert.False(r!["ok"]!.GetValue<bool>()));
    }

    [Fact]
    public void VerificationVerdictsAgreeOnEdgeCaseSignatures()
    {
        // s + ℓ (accepted: only s ≥ 2^253 is rejected), bits 5/6 of byte 63 set, the public key with bit 255 set,
        // R/s swapped, R encodings of the identity, a torsioned public key and small-order public keys. Both
        // implementations must agree.
        BigInteger l = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
        var items = new JsonArray();
        var ours = new List<bool>();
        void Add(byte[] pub33, byte[] msg, byte[] sig)
        {
            items.Add(new JsonObject { ["pub"] = B64(pub33), ["msg"] = B64(msg), ["sig"] = B64(sig) });
            ours.Add(EcPublicKey.Deserialize(pub33).VerifySignature(msg, sig));
        }

        for (int i = 0; i < 100; i++)
        {
            using var key = EcPrivateKey.Generate();
            var pub = key.PublicKey.Serialize();
            var msg = RandomMessage();
            var sig = key.CalculateSignature(msg);
            Add(pub, msg, sig);

            var sBytes = sig[32..];
            sBytes[31] &= 0x7F;
            var sPlusL = new BigInteger(sBytes, isUnsigned: true) + l;
            var forged = (byte[])sig.Clone();
            Array.Clear(forged, 32, 32);
            sPlusL.ToByteArray(isUnsigned: true).CopyTo(forged, 32);
            forged[63] |= (byte)(sig[63] & 0x80);
            Add(pub, msg, forged);

            var bit5 = (byte)(sig[63] | 0x20);
            Add(pub, msg, [.. sig[..63], bit5]);
            var bit6 = (byte)(sig[63] | 0x40);
            Add(pub, msg, [.. sig[..63], bit6]);

            byte[] highPub = [.. pub];
            highPub[32] |= 0x80;
            Add(highPub, msg, sig);

            Add(pub, msg, [.. sig[32..], .. sig[..32]]);

            // The same key plus a point of order 8, and small-order keys.
            Add([0x05, .. CurveEdgeCaseTests.AddOrderEightPoint(pub.AsSpan(1))], msg, sig);
            // Check point = identity: R as 01 00…00 (valid), with the sign bit set, and as y = 1 + p.
            Add(pub, msg, CurveEdgeCaseTests.ForgeIdentityR(key, msg, "0100000000000000000000000000000000000000000000000000000000000000"));
            Add(pub, msg, CurveEdgeCaseTests.ForgeIdentityR(key, msg, "0100000000000000000000000000000000000000000000000000000000000080"));
            Add(pub, msg, CurveEdgeCaseTests.ForgeIdentityR(key, msg, "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));

            var smallOrder = new byte[33];
            smallOrder[0] = 0x05;
            smallOrder[1] = (byte)(i % 2);
            Add(smallOrder, msg, sig);
        }

        var theirs = Call("verify", items)["results"]!.AsArray().Select(r => r!.GetValue<bool>()).ToList();
        Assert.Equal(theirs, ours);
        Assert.Contains(true, ours);
        Assert.Contains(false, ours);
    }
}
