using FsCheck.Xunit;
using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Devices;

/// <summary>Signal's content padding: 0x80, zeros to one byte short of a multiple of 160, strict unpadding.</summary>
public class ContentPaddingTests
{
    [Theory]
    [InlineData(0, 159)]
    [InlineData(1, 159)]
    [InlineData(157, 159)]
    [InlineData(158, 159)]
    [InlineData(159, 319)]
    [InlineData(160, 319)]
    [InlineData(318, 319)]
    [InlineData(319, 479)]
    public void PaddedLengthLeavesRoomForTheTerminatorAndTheCiphersOneByte(int contentLength, int expected)
    {
        Assert.Equal(expected, ContentPadding.PaddedLength(contentLength));
        byte[] padded = ContentPadding.Pad(new byte[contentLength]);
        Assert.Equal(expected, padded.Length);
        Assert.Equal(0, (padded.Length + 1) % ContentPadding.BlockSize);
        Assert.Equal(0x80, padded[contentLength]);
        Assert.All(padded[(contentLength + 1)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void PaddedContentThatFillsItsBlockExactlyHasNoZeros()
    {
        byte[] padded = ContentPadding.Pad(Enumerable.Repeat((byte)7, 158).ToArray());
        Assert.Equal(159, padded.Length);
        Assert.Equal(0x80, padded[^1]);
        Assert.Equal(158, ContentPadding.ContentLength(padded));
    }

    [Fact]
    public void ContentEndingInZerosOrTheTerminatorByteSurvivesTheRoundTrip()
    {
        byte[][] contents = [[], [0], [0x80], [1, 0, 0], [0x80, 0x80, 0], new byte[158], Enumerable.Repeat((byte)0x80, 159).ToArray()];
        foreach (var content in contents)
        {
            Assert.Equal(content, ContentPadding.Unpad(ContentPadding.Pad(content)));
        }
    }

    [Property(MaxTest = 200)]
    public bool UnpadInvertsPad(byte[] content) => ContentPadding.Unpad(ContentPadding.Pad(content)).AsSpan().SequenceEqual(content);

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 1, 0x80, 0, 1, 0 })]
    [InlineData(new byte[] { 0x80, 0x7f })]
    [InlineData(new byte[] { 0x80, 0, 0, 0x01 })]
    [InlineData(new byte[] { 0x81, 0 })]
    public void MalformedPaddingIsATypedError(byte[] padded)
        => Assert.Throws<InvalidPaddingException>(() => ContentPadding.Unpad(padded));

    [Fact]
    public void LengthIsNotPartOfTheCheckSoOtherBlockSizesAreAccepted()
    {
        Assert.Equal(new byte[] { 5 }, ContentPadding.Unpad([5, 0x80]));
        Assert.Equal(new byte[] { 5 }, ContentPadding.Unpad([5, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void NegativeLengthsAreRejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ContentPadding.PaddedLength(-1));
}
