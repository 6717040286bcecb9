using System.Text;
using SignalSharp.Fingerprints;
using Xunit;

namespace SignalSharp.Tests.Fingerprints;

/// <summary>
/// Known answers from libsignal's rust/protocol/src/fingerprint.rs tests (also node/ts/test/protocol/ProtocolTest.ts),
/// as recorded in the wire-facts digest §13: two identity keys, E.164 identifiers, 5200 iterations.
/// </summary>
public class FingerprintVectorTests
{
    internal static readonly byte[] AliceKey = Convert.FromHexString("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868");
    internal static readonly byte[] BobKey = Convert.FromHexString("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b");
    internal static readonly byte[] AliceId = Encoding.UTF8.GetBytes("+14152222222");
    internal static readonly byte[] BobId = Encoding.UTF8.GetBytes("+14153333333");

    private const string DisplayVector = "300354477692869396892869876765458257569162576843440918079131";
    private const string AliceContent = "1e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df";
    private const string BobContent = "d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d";

    private static readonly NumericFingerprintGenerator Generator = new(5200);

    [Fact]
    public void DisplayableNumberMatchesLibsignalVectorFromBothSides()
    {
        var alice = Generator.CreateFor(1, AliceId, AliceKey, BobId, BobKey);
        var bob = Generator.CreateFor(1, BobId, BobKey, AliceId, AliceKey);
        Assert.Equal(DisplayVector, alice.DisplayableFingerprint.DisplayText);
        Assert.Equal(DisplayVector, bob.DisplayableFingerprint.DisplayText);
        Assert.Equal(DisplayVector, alice.DisplayableFingerprint.ToString());
        Assert.Equal(alice.DisplayableFingerprint, bob.DisplayableFingerprint);
    }

    [Fact]
    public void PublicIdentityKeyOverloadGivesTheVector()
    {
        var alice = Generator.CreateFor(1, AliceId, SignalSharp.IdentityKey.Deserialize(AliceKey), BobId, SignalSharp.IdentityKey.Deserialize(BobKey));
        Assert.Equal(DisplayVector, alice.DisplayableFingerprint.DisplayText);
        Assert.Equal("080112220a20" + AliceContent + "1a220a20" + BobContent, Convert.ToHexStringLower(alice.ScannableFingerprint.Serialize()));
    }

    [Fact]
    public void ScannableVersion1MatchesLibsignalVector()
    {
        var alice = Generator.CreateFor(1, AliceId, AliceKey, BobId, BobKey);
        Assert.Equal("080112220a20" + AliceContent + "1a220a20" + BobContent, Convert.ToHexStringLower(alice.ScannableFingerprint.Serialize()));
    }

    [Fact]
    public void ScannableVersion2DiffersOnlyInTheVersionField()
    {
        var alice = Generator.CreateFor(2, AliceId, AliceKey, BobId, BobKey);
        Assert.Equal("080212220a20" + AliceContent + "1a220a20" + BobContent, Convert.ToHexStringLower(alice.ScannableFingerprint.Serialize()));
        Assert.Equal(2, alice.ScannableFingerprint.Version);
    }

    [Fact]
    public void BobsScannableViewSwapsTheTwoContents()
    {
        var bob = Generator.CreateFor(1, BobId, BobKey, AliceId, AliceKey);
        Assert.Equal("080112220a20" + BobContent + "1a220a20" + AliceContent, Convert.ToHexStringLower(bob.ScannableFingerprint.Serialize()));
    }

    [Fact]
    public void ScannableEncodingMatchesLibsignalEncodingTest()
    {
        // libsignal's encoding test: local content 0x12 × 32, remote 0xBA × 32, version 2.
        var scannable = new ScannableFingerprint(2, Enumerable.Repeat((byte)0x12, 32).ToArray(), Enumerable.Repeat((byte)0xBA, 32).ToArray());
        string expected = "080212220a20" + string.Concat(Enumerable.Repeat("12", 32)) + "1a220a20" + string.Concat(Enumerable.Repeat("ba", 32));
        Assert.Equal(expected, Convert.ToHexStringLower(scannable.Serialize()));
    }

    [Fact]
    public void MutualScansMatch()
    {
        var alice = Generator.CreateFor(2, AliceId, AliceKey, BobId, BobKey);
        var bob = Generator.CreateFor(2, BobId, BobKey, AliceId, AliceKey);
        Assert.True(alice.ScannableFingerprint.CompareTo(bob.ScannableFingerprint.Serialize()));
        Assert.True(bob.ScannableFingerprint.CompareTo(alice.ScannableFingerprint.Serialize()));
    }

    [Fact]
    public void ScanningOnesOwnCodeDoesNotMatch()
    {
        var alice = Generator.CreateFor(2, AliceId, AliceKey, BobId, BobKey);
        Assert.False(alice.ScannableFingerprint.CompareTo(alice.ScannableFingerprint.Serialize()));
    }
}
