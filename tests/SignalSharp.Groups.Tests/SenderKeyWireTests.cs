using SignalSharp;
using Xunit;

namespace SignalSharp.Groups.Tests;

/// <summary>Byte layouts of wire-facts §7.1/§7.2 and the §12 sample shapes, and parser rules.</summary>
public class SenderKeyWireTests
{
    private static readonly Guid DistributionId = Guid.Parse("d1d1d1d1-7000-11eb-b32a-33b8a8a487a6");
    private const string DistributionIdHex = "d1d1d1d1700011ebb32a33b8a8a487a6";

    private static SenderKeyDistributionMessage SampleDistribution(uint chainId = 0x1234, uint iteration = 0)
    {
        using var signing = EcPrivateKey.Generate();
        var chainKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        return SenderKeyDistributionMessage.Create(DistributionId, chainId, iteration, chainKey, signing.PublicKey);
    }

    [Fact]
    public void DistributionMessageLayoutMatchesLibsignal()
    {
        var message = SampleDistribution();
        string hex = Convert.ToHexStringLower(message.Serialize());
        string signingKey = Convert.ToHexStringLower(message.SigningKey.Serialize());
        Assert.Equal(
            "33" + "0a10" + DistributionIdHex + "10b424" + "1800" + "2220" + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" + "2a21" + signingKey,
            hex);
    }

    [Fact]
    public void DistributionMessageRoundTripsByteExactly()
    {
        var bytes = SampleDistribution(0x7fffffff, 42).Serialize();
        var parsed = SenderKeyDistributionMessage.Parse(bytes);
        Assert.Equal(bytes, parsed.Serialize());
        Assert.Equal(DistributionId, parsed.DistributionId);
        Assert.Equal(0x7fffffffu, parsed.ChainId);
        Assert.Equal(42u, parsed.Iteration);
        Assert.Equal(3, parsed.MessageVersion);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), parsed.ChainKey.ToArray());
    }

    [Fact]
    public void DistributionMessageKeepsUnknownFieldsInItsBytes()
    {
        // Re-serializing would drop field 9; Serialize returns the received bytes unchanged.
        var bytes = SampleDistribution().Serialize().Concat(new byte[] { 0x48, 0x01 }).ToArray();
        Assert.Equal(bytes, SenderKeyDistributionMessage.Parse(bytes).Serialize());
    }

    [Fact]
    public async Task GroupMessageLayoutMatchesLibsignalAndSignatureCoversAllButTheLast64Bytes()
    {
        var sender = new Device("alice");
        var distribution = await sender.Cipher.CreateDistributionMessageAsync(sender.Address, DistributionId);
        var message = await sender.Cipher.EncryptAsync(sender.Address, DistributionId, new byte[5]);
        var bytes = message.Serialize();
        string hex = Convert.ToHexStringLower(bytes);
        string chainIdVarint = Convert.ToHexStringLower(Varint(distribution.ChainId));
        Assert.StartsWith("33" + "0a10" + DistributionIdHex + "10" + chainIdVarint + "1800" + "2210", hex);
        Assert.Equal(1 + 18 + 1 + (chainIdVarint.Length / 2) + 2 + 2 + 16 + 64, bytes.Length);
        Assert.True(distribution.SigningKey.VerifySignature(bytes.AsSpan(0, bytes.Length - 64), bytes.AsSpan(bytes.Length - 64)));
        Assert.Equal(7, SenderKeyMessage.CiphertextType);
    }

    [Fact]
    public async Task GroupMessageRoundTripsByteExactly()
    {
        var sender = new Device("alice");
        await sender.Cipher.CreateDistributionMessageAsync(sender.Address, DistributionId);
        await sender.Cipher.EncryptAsync(sender.Address, DistributionId, new byte[1]);
        var message = await sender.Cipher.EncryptAsync(sender.Address, DistributionId, new byte[20]);
        var parsed = SenderKeyMessage.Parse(message.Serialize());
        Assert.Equal(message.Serialize(), parsed.Serialize());
        Assert.Equal(1u, parsed.Iteration);
        Assert.Equal(DistributionId, parsed.DistributionId);
        Assert.Equal(32, parsed.Ciphertext.Length);
    }

    [Theory]
    [InlineData(0x23)]
    [InlineData(0x03)]
    public void OlderVersionsAreLegacy(byte first)
    {
        var bytes = SampleDistribution().Serialize();
        bytes[0] = first;
        Assert.Throws<LegacyMessageException>(() => SenderKeyDistributionMessage.Parse(bytes));
        var group = new byte[100];
        group[0] = first;
        Assert.Throws<LegacyMessageException>(() => SenderKeyMessage.Parse(group));
    }

    [Fact]
    public void NewerVersionsAreUnrecognized()
    {
        var bytes = SampleDistribution().Serialize();
        bytes[0] = 0x43;
        Assert.Throws<InvalidVersionException>(() => SenderKeyDistributionMessage.Parse(bytes));
    }

    [Fact]
    public void DistributionMessageWithoutIterationIsRejected()
    {
        // The iteration field (18 00) must be present even when zero.
        var hex = Convert.ToHexStringLower(SampleDistribution().Serialize()).Replace("1800", string.Empty, StringComparison.Ordinal);
        Assert.Throws<InvalidMessageException>(() => SenderKeyDistributionMessage.Parse(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("33")]
    [InlineData("330a0100")]
    [InlineData("33ffff")]
    public void MalformedDistributionMessagesAreInvalid(string hex)
    {
        Assert.Throws<InvalidMessageException>(() => SenderKeyDistributionMessage.Parse(Convert.FromHexString(hex)));
    }

    [Fact]
    public void EmptyInputsAreInvalid()
    {
        Assert.Throws<InvalidMessageException>(() => SenderKeyDistributionMessage.Parse(ReadOnlySpan<byte>.Empty));
        Assert.Throws<InvalidMessageException>(() => SenderKeyMessage.Parse(ReadOnlySpan<byte>.Empty));
        Assert.Throws<InvalidMessageException>(() => SenderKeyMessage.Parse(new byte[64]));
    }

    [Fact]
    public void DistributionMessageWithBadSigningKeyIsInvalid()
    {
        var bytes = SampleDistribution().Serialize();
        bytes[^33] = 0x07; // the key's type byte
        Assert.Throws<InvalidMessageException>(() => SenderKeyDistributionMessage.Parse(bytes));
    }

    private static byte[] Varint(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return bytes.ToArray();
    }
}
