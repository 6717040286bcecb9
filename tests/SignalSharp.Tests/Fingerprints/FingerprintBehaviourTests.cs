using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SignalSharp.Fingerprints;
using Xunit;

namespace SignalSharp.Tests.Fingerprints;

public class FingerprintBehaviourTests
{
    private static readonly byte[] AliceKey = FingerprintVectorTests.AliceKey;
    private static readonly byte[] BobKey = FingerprintVectorTests.BobKey;
    private static readonly byte[] AliceId = FingerprintVectorTests.AliceId;
    private static readonly byte[] BobId = FingerprintVectorTests.BobId;

    private static byte[] OtherKey()
    {
        var key = new byte[33];
        key[0] = 0x05;
        RandomNumberGenerator.Fill(key.AsSpan(1));
        return key;
    }

    [Fact]
    public void ADifferentRemoteKeyChangesTheNumberAndFailsTheScan()
    {
        var generator = new NumericFingerprintGenerator(50);
        var alice = generator.CreateFor(2, AliceId, AliceKey, BobId, BobKey);
        var mallory = generator.CreateFor(2, BobId, OtherKey(), AliceId, AliceKey);
        Assert.NotEqual(alice.DisplayableFingerprint.DisplayText, mallory.DisplayableFingerprint.DisplayText);
        Assert.False(alice.ScannableFingerprint.CompareTo(mallory.ScannableFingerprint.Serialize()));
        Assert.False(mallory.ScannableFingerprint.CompareTo(alice.ScannableFingerprint.Serialize()));
    }

    [Fact]
    public void ADifferentIdentifierFailsTheScan()
    {
        var generator = new NumericFingerprintGenerator(50);
        var alice = generator.CreateFor(2, AliceId, AliceKey, BobId, BobKey);
        var bobWithOtherId = generator.CreateFor(2, Encoding.UTF8.GetBytes("+14154444444"), BobKey, AliceId, AliceKey);
        Assert.False(alice.ScannableFingerprint.CompareTo(bobWithOtherId.ScannableFingerprint.Serialize()));
    }

    [Fact]
    public void VersionMismatchIsReportedDistinctlyFromKeyMismatch()
    {
        var generator = new NumericFingerprintGenerator(50);
        var alice = generator.CreateFor(2, AliceId, AliceKey, BobId, BobKey);
        var bobV1 = generator.CreateFor(1, BobId, BobKey, AliceId, AliceKey);
        var e = Assert.Throws<FingerprintVersionMismatchException>(() => alice.ScannableFingerprint.CompareTo(bobV1.ScannableFingerprint.Serialize()));
        Assert.Equal(1, e.TheirVersion);
        Assert.Equal(2, e.OurVersion);

        // Even with a different key, the version is checked first.
        var malloryV1 = generator.CreateFor(1, BobId, OtherKey(), AliceId, AliceKey);
        Assert.Throws<FingerprintVersionMismatchException>(() => alice.ScannableFingerprint.CompareTo(malloryV1.ScannableFingerprint.Serialize()));
    }

    [Fact]
    public void HashMatchesAStraightforwardSha512Chain()
    {
        // An independent computation of §8 with the BCL hash, for an empty and a long identifier.
        foreach (var id in new[] { Array.Empty<byte>(), Enumerable.Range(0, 300).Select(i => (byte)i).ToArray() })
        {
            byte[] h = SHA512.HashData([0, 0, .. AliceKey, .. id, .. AliceKey]);
            for (int i = 1; i < 7; i++)
            {
                h = SHA512.HashData([.. h, .. AliceKey]);
            }

            var actual = new byte[64];
            var other = new byte[64];
            FingerprintHashChain.Compute([0, 0], AliceKey, id, BobKey, [], 7, actual, other);
            Assert.Equal(h, actual);
        }
    }

    [Fact]
    public void VersionDoesNotChangeTheDisplayedNumber()
    {
        var generator = new NumericFingerprintGenerator(50);
        Assert.Equal(
            generator.CreateFor(1, AliceId, AliceKey, BobId, BobKey).DisplayableFingerprint.DisplayText,
            generator.CreateFor(2, AliceId, AliceKey, BobId, BobKey).DisplayableFingerprint.DisplayText);
    }

    [Fact]
    public void IterationCountChangesTheNumber()
    {
        Assert.NotEqual(
            new NumericFingerprintGenerator(2).CreateFor(2, AliceId, AliceKey, BobId, BobKey).DisplayableFingerprint.DisplayText,
            new NumericFingerprintGenerator(3).CreateFor(2, AliceId, AliceKey, BobId, BobKey).DisplayableFingerprint.DisplayText);
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1_000_001)]
    public void IterationCountsOutsideTwoToOneMillionAreRejected(int iterations)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumericFingerprintGenerator(iterations));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1_000_000)]
    public void IterationCountBoundsAreAccepted(int iterations)
    {
        Assert.Equal(iterations, new NumericFingerprintGenerator(iterations).Iterations);
    }

    [Fact]
    public void DisplayTextIsSixtyDigitsAndGroupsIntoTwelveFives()
    {
        var fp = new NumericFingerprintGenerator(10).CreateFor(2, AliceId, AliceKey, BobId, BobKey).DisplayableFingerprint;
        Assert.Matches("^[0-9]{60}$", fp.DisplayText);
        Assert.Matches("^([0-9]{5} ){11}[0-9]{5}$", fp.ToGroupedString());
        Assert.Equal(fp.DisplayText, fp.ToGroupedString().Replace(" ", string.Empty));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ff")]
    [InlineData("0a05")]
    [InlineData("0802")]
    [InlineData("080212220a20")]
    public void MalformedScannedBytesGiveTypedErrors(string hex)
    {
        var alice = new NumericFingerprintGenerator(10).CreateFor(2, AliceId, AliceKey, BobId, BobKey);
        var bytes = Convert.FromHexString(hex);
        var e = Record.Exception(() => alice.ScannableFingerprint.CompareTo(bytes));
        Assert.True(e is FingerprintParsingException or FingerprintVersionMismatchException, e?.GetType().FullName ?? "no exception");
    }

    [Property(MaxTest = 300)]
    public bool RandomScannedBytesNeverThrowUntypedExceptions(byte[] scanned)
    {
        var alice = new NumericFingerprintGenerator(2).CreateFor(2, AliceId, AliceKey, BobId, BobKey);
        try
        {
            return !alice.ScannableFingerprint.CompareTo(scanned);
        }
        catch (SignalProtocolException)
        {
            return true;
        }
    }

    [Property(MaxTest = 50)]
    public bool BothPartiesAlwaysSeeTheSameNumber(byte[] localId, byte[] remoteId)
    {
        var generator = new NumericFingerprintGenerator(2);
        var k1 = OtherKey();
        var k2 = OtherKey();
        var a = generator.CreateFor(2, localId, k1, remoteId, k2);
        var b = generator.CreateFor(2, remoteId, k2, localId, k1);
        return a.DisplayableFingerprint.DisplayText == b.DisplayableFingerprint.DisplayText
            && a.ScannableFingerprint.CompareTo(b.ScannableFingerprint.Serialize())
            && b.ScannableFingerprint.CompareTo(a.ScannableFingerprint.Serialize());
    }
}
