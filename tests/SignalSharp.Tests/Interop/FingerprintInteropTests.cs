using SignalSharp.TestSupport.Interop;
using Xunit;
using static SignalSharp.TestSupport.Interop.PairingHarness;

namespace SignalSharp.Tests.Interop;

/// <summary>Safety numbers through the drivers, for every pairing of <see cref="InteropPairs"/>.</summary>
[Trait("Category", "Interop")]
public sealed class FingerprintInteropTests
{
    // Known-answer vectors of libsignal's fingerprint tests (rust/protocol/src/fingerprint.rs, also
    // node/ts/test/protocol/ProtocolTest.ts), facts §13: 5200 iterations.
    private static readonly byte[] AliceKey = Convert.FromHexString("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868");
    private static readonly byte[] BobKey = Convert.FromHexString("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b");
    private static readonly byte[] AliceId = "+14152222222"u8.ToArray();
    private static readonly byte[] BobId = "+14153333333"u8.ToArray();
    private const string Displayable = "300354477692869396892869876765458257569162576843440918079131";
    private const string AliceScannableV1 = "080112220a201e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df1a220a20d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d";

    // CombinedFingerprints = 08 vv | 12 22 0a 20 <local 32> | 1a 22 0a 20 <remote 32> (facts §8).
    private static byte[] Local(byte[] scannable) => scannable[6..38];

    private static byte[] Remote(byte[] scannable) => scannable[42..74];

    [Theory]
    [MemberData(nameof(InteropPairs.Fingerprints), MemberType = typeof(InteropPairs))]
    public void KnownAnswerVectors_ThroughBothDrivers(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        foreach (var driver in new[] { h.Left, h.Right })
        {
            var peer = h.CreatePeer(driver);
            foreach (int version in new[] { 1, 2 })
            {
                var aliceView = driver.Fingerprint(peer.Handle, AliceId, BobId, BobKey, 5200, version, localIdentityKey: AliceKey);
                var bobView = driver.Fingerprint(peer.Handle, BobId, AliceId, AliceKey, 5200, version, localIdentityKey: BobKey);
                Assert.Equal(Displayable, aliceView.Displayable);
                Assert.Equal(Displayable, bobView.Displayable);

                string expected = "080" + version + AliceScannableV1[4..];
                Assert.Equal(expected, Convert.ToHexStringLower(aliceView.Scannable));
                Assert.Equal(Local(aliceView.Scannable), Remote(bobView.Scannable));
                Assert.Equal(Remote(aliceView.Scannable), Local(bobView.Scannable));
            }
        }
    }

    [Theory]
    [MemberData(nameof(InteropPairs.Fingerprints), MemberType = typeof(InteropPairs))]
    public void BothImplementations_ComputeTheSameSafetyNumber(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        byte[] aliceId = Guid.Parse(alice.Address.Name).ToByteArray(bigEndian: true);
        byte[] bobId = Guid.Parse(bob.Address.Name).ToByteArray(bigEndian: true);

        var aliceView = alice.Driver.Fingerprint(alice.Handle, aliceId, bobId, bob.IdentityKey);
        var bobView = bob.Driver.Fingerprint(bob.Handle, bobId, aliceId, alice.IdentityKey);
        Assert.Matches("^[0-9]{60}$", aliceView.Displayable);
        Assert.Equal(aliceView.Displayable, bobView.Displayable);
        Assert.Equal(Local(aliceView.Scannable), Remote(bobView.Scannable));
        Assert.Equal(Remote(aliceView.Scannable), Local(bobView.Scannable));

        // The same view computed by the other implementation is byte-identical.
        var aliceViewOnRight = bob.Driver.Fingerprint(bob.Handle, aliceId, bobId, bob.IdentityKey, localIdentityKey: alice.IdentityKey);
        Assert.Equal(aliceView.Displayable, aliceViewOnRight.Displayable);
        Assert.Equal(aliceView.Scannable, aliceViewOnRight.Scannable);

        // Another key for bob changes the number.
        var mallory = h.CreateRight();
        Assert.NotEqual(aliceView.Displayable, alice.Driver.Fingerprint(alice.Handle, aliceId, bobId, mallory.IdentityKey).Displayable);
    }
}
