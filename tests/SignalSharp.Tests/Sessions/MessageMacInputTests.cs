using System.Security.Cryptography;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// The whisper-message MAC is HMAC-SHA256(mac key, sender identity ‖ receiver identity ‖ version ‖ body) truncated to
/// eight bytes. An in-process round trip cannot see a wrong MAC input (both sides compute the same wrong MAC), so this
/// pins the input against an independent HMAC, on the stack path and on the incremental path for long messages.
/// </summary>
public class MessageMacInputTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(4000)]
    public void MacIsTheTruncatedHmacOverBothIdentityKeysAndTheSentBytes(int ciphertextLength)
    {
        byte[] macKey = RandomNumberGenerator.GetBytes(32);
        var sender = IdentityKeyPair.Generate().IdentityKey;
        var receiver = IdentityKeyPair.Generate().IdentityKey;
        using var ratchet = EcPrivateKey.Generate();
        var message = SignalMessage.Create(4, macKey, ratchet.PublicKey, 7, 3, RandomNumberGenerator.GetBytes(ciphertextLength), sender, receiver, [], null);
        byte[] bytes = message.Serialize();

        byte[] expected = HMACSHA256.HashData(macKey, (byte[])[.. sender.PublicKey.Serialize(), .. receiver.PublicKey.Serialize(), .. bytes[..^8]]);
        Assert.Equal(expected[..8], bytes[^8..]);
        Assert.True(SignalMessage.Deserialize(bytes).VerifyMac(sender, receiver, macKey));
    }

    [Fact]
    public void VerificationBindsTheDirectionTheKeyAndEveryByte()
    {
        byte[] macKey = RandomNumberGenerator.GetBytes(32);
        var sender = IdentityKeyPair.Generate().IdentityKey;
        var receiver = IdentityKeyPair.Generate().IdentityKey;
        using var ratchet = EcPrivateKey.Generate();
        byte[] bytes = SignalMessage.Create(4, macKey, ratchet.PublicKey, 1, 0, new byte[32], sender, receiver, [], null).Serialize();

        var parsed = SignalMessage.Deserialize(bytes);
        Assert.False(parsed.VerifyMac(receiver, sender, macKey));
        Assert.False(parsed.VerifyMac(sender, sender, macKey));
        byte[] otherKey = (byte[])macKey.Clone();
        otherKey[31] ^= 1;
        Assert.False(parsed.VerifyMac(sender, receiver, otherKey));
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            SignalMessage candidate;
            try
            {
                candidate = SignalMessage.Deserialize(tampered);
            }
            catch (SignalProtocolException)
            {
                continue;
            }

            Assert.False(candidate.VerifyMac(sender, receiver, macKey), $"byte {i} is not covered by the MAC");
        }
    }
}
