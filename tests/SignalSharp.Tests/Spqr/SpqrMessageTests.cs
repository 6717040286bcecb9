using SignalSharp;
using SignalSharp.Spqr;
using Xunit;

namespace SignalSharp.Tests.Spqr;

/// <summary>The SPQR V1 message layout of wire facts §6.3 and its varints.</summary>
public class SpqrMessageTests
{
    [Fact]
    public void VarintMatchesTheSpqrRepositoryVector()
    {
        // SPQR src/v1/chunked/states/serialize.rs: 0x012C <-> AC 02 (wire facts §13).
        var buffer = new byte[10];
        int written = Varint.Write(0x012C, buffer);
        Assert.Equal(new byte[] { 0xAC, 0x02 }, buffer[..written]);
        int offset = 0;
        Assert.True(Varint.TryRead(new byte[] { 0xAC, 0x02 }, ref offset, out ulong value));
        Assert.Equal(0x012CUL, value);
        Assert.Equal(2, offset);
    }

    [Fact]
    public void VarintRejectsTruncationAndOverflow()
    {
        int offset = 0;
        Assert.False(Varint.TryRead(new byte[] { 0x80 }, ref offset, out _));
        offset = 0;
        Assert.False(Varint.TryRead(Enumerable.Repeat((byte)0xFF, 11).ToArray(), ref offset, out _));
        offset = 0;
        // 10th byte may only carry bit 63.
        Assert.False(Varint.TryRead([.. Enumerable.Repeat((byte)0xFF, 9), 0x02], ref offset, out _));
        offset = 0;
        Assert.True(Varint.TryRead([.. Enumerable.Repeat((byte)0xFF, 9), 0x01], ref offset, out ulong max));
        Assert.Equal(ulong.MaxValue, max);
    }

    [Fact]
    public void FirstHeaderMessageHasTheLayoutOfTheSelftest()
    {
        var data = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var bytes = new SpqrMessage(1, 1, SpqrMessageType.Hdr, new SpqrChunk(0, data)).Serialize();
        Assert.Equal(new byte[] { 0x01, 0x01, 0x01, 0x01, 0x00 }.Concat(data).ToArray(), bytes);
    }

    [Theory]
    [InlineData(1UL, 1U, 0, -1)]
    [InlineData(300UL, 70000U, 4, -1)]
    [InlineData(ulong.MaxValue, uint.MaxValue, 6, 65535)]
    [InlineData(2UL, 0U, 2, 300)]
    [InlineData(5UL, 9U, 3, 0)]
    public void MessagesRoundTrip(ulong epoch, uint index, byte typeByte, int chunkIndex)
    {
        var type = (SpqrMessageType)typeByte;
        SpqrChunk? chunk = chunkIndex < 0 ? null : new SpqrChunk((ushort)chunkIndex, ErasureCodeTests.RandomBytes(32, chunkIndex));
        var bytes = new SpqrMessage(epoch, index, type, chunk).Serialize();
        var parsed = SpqrMessage.Parse(bytes);
        Assert.Equal(epoch, parsed.Epoch);
        Assert.Equal(index, parsed.Index);
        Assert.Equal(type, parsed.Type);
        Assert.Equal(chunk?.Index, parsed.Chunk?.Index);
        Assert.Equal(chunk?.Data, parsed.Chunk?.Data);
        // Trailing bytes are reserved for extensions and ignored.
        var extended = SpqrMessage.Parse([.. bytes, 0xAA, 0xBB]);
        Assert.Equal(type, extended.Type);
    }

    [Theory]
    [InlineData("")]                       // version 0 (no SPQR)
    [InlineData("02")]                     // not V1
    [InlineData("01")]                     // no epoch
    [InlineData("0100")]                   // epoch 0
    [InlineData("0101")]                   // no index
    [InlineData("010101")]                 // no type
    [InlineData("01010107")]               // unknown type
    [InlineData("0101808080801001")]       // index 2^32 > u32
    [InlineData("01010101")]               // Hdr without chunk number
    [InlineData("0101010180800400")]       // chunk number 65536
    [InlineData("0101010100aabb")]         // chunk data truncated
    [InlineData("01ffffffffffffffffff02")] // epoch overflows 64 bits
    public void MalformedMessagesAreInvalidMessages(string hex)
        => Assert.Throws<InvalidMessageException>(() => SpqrMessage.Parse(Convert.FromHexString(hex)));
}
