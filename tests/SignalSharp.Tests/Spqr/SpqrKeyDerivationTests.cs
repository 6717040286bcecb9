using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SignalSharp.Lattice;
using SignalSharp.Spqr.Braid;
using Xunit;

namespace SignalSharp.Tests.Spqr;

/// <summary>
/// Re-derives SPQR keys and MACs with independent HKDF/HMAC calls from the formulas of wire facts
/// §6.4 (chain), §6.5 (authenticator, epoch secret) and §6.8 (header), pinning every label and counter.
/// </summary>
public class SpqrKeyDerivationTests
{
    private static readonly byte[] Zeros32 = new byte[32];

    [Fact]
    public void EpochZeroKeysComeFromTheAuthKey()
    {
        var peers = new SpqrPeers(20, Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var start = Hkdf(peers.AuthKey, Zeros32, Ascii("Signal PQ Ratchet V1 Chain  Start"), 96);
        var a2b = start[32..64];
        var b2a = start[64..96];
        for (uint index = 1; index <= 3; index++)
        {
            peers.AliceToBob();
            a2b = Step(a2b, index, out var expectedAlice);
            Assert.Equal(expectedAlice, peers.LastKey);
            peers.BobToAlice();
            b2a = Step(b2a, index, out var expectedBob);
            Assert.Equal(expectedBob, peers.LastKey);
        }
    }

    [Fact]
    public void HeaderIsRhoAndKeyHashWithAnEpochBoundMac()
    {
        var peers = new SpqrPeers(21);
        var payload = new List<byte>();
        for (int i = 0; i < 3; i++)
        {
            payload.AddRange(peers.AliceToBob().Chunk!.Data);
        }

        var header = payload.Take(64).ToArray();
        var mac = payload.Skip(64).ToArray();
        var vector = ((KeysSampled)peers.Alice.Braid).EncapsulationKeyVector;
        var hash = new byte[32];
        Sha3.Sha3_256(vector, header.AsSpan(0, 32), hash);
        Assert.Equal(hash, header[32..]);
        var (_, macKey) = AuthenticatorUpdate(Zeros32, peers.AuthKey, 1);
        Assert.Equal(HMACSHA256.HashData(macKey, (byte[])[.. Ascii("Signal_PQCKA_V1_MLKEM768:ekheader"), .. Be64(1), .. header]), mac);
    }

    [Fact]
    public void EpochSecretFeedsChainAuthenticatorAndCiphertextMac()
    {
        var peers = new SpqrPeers(22);
        for (int round = 0; round < 3; round++)
        {
            peers.Round();
        }

        var sampled = Assert.IsType<Ct1Sampled>(peers.Bob.Braid);
        var ct1 = new byte[960];
        var shared = new byte[32];
        MlKem768.EncapsulatePart1(sampled.Header, sampled.M, ct1, shared);
        Assert.Equal(ct1, sampled.Ct1Encoder.Payload.ToArray());
        var secret = Hkdf(shared, Zeros32, [.. Ascii("Signal_PQCKA_V1_MLKEM768:SCKA Key"), .. Be64(1)], 32);

        while (peers.Bob.Braid is not Ct2Sampled)
        {
            peers.Round();
        }

        var ct2AndMac = ((Ct2Sampled)peers.Bob.Braid).Ct2Encoder.Payload.ToArray();
        var (root1, _) = AuthenticatorUpdate(Zeros32, peers.AuthKey, 1);
        var (_, mac2) = AuthenticatorUpdate(root1, secret, 1);
        Assert.Equal(
            HMACSHA256.HashData(mac2, (byte[])[.. Ascii("Signal_PQCKA_V1_MLKEM768:ciphertext"), .. Be64(1), .. ct1, .. ct2AndMac[..128]]),
            ct2AndMac[128..]);

        while (peers.Alice.CurrentEpoch < 2)
        {
            peers.Round();
        }

        var start = Hkdf(peers.AuthKey, Zeros32, Ascii("Signal PQ Ratchet V1 Chain  Start"), 96);
        var added = Hkdf(secret, start[..32], Ascii("Signal PQ Ratchet V1 Chain Add Epoch"), 96);
        var aliceMessage = peers.AliceToBob();
        Assert.Equal((2UL, 1U), (aliceMessage.Epoch, aliceMessage.Index));
        Step(added[32..64], 1, out var expectedAlice);
        Assert.Equal(expectedAlice, peers.LastKey);
        var bobMessage = peers.BobToAlice();
        Assert.Equal((2UL, 1U), (bobMessage.Epoch, bobMessage.Index));
        Step(added[64..96], 1, out var expectedBob);
        Assert.Equal(expectedBob, peers.LastKey);
    }

    private static byte[] Step(byte[] chainKey, uint index, out byte[] messageKey)
    {
        var info = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(info, index);
        var output = Hkdf(chainKey, Zeros32, [.. info, .. Ascii("Signal PQ Ratchet V1 Chain Next")], 64);
        messageKey = output[32..];
        return output[..32];
    }

    private static (byte[] Root, byte[] Mac) AuthenticatorUpdate(byte[] root, byte[] key, ulong epoch)
    {
        var output = Hkdf([.. root, .. key], Zeros32, [.. Ascii("Signal_PQCKA_V1_MLKEM768:Authenticator Update"), .. Be64(epoch)], 64);
        return (output[..32], output[32..]);
    }

    private static byte[] Hkdf(byte[] ikm, byte[] salt, byte[] info, int length)
        => HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, length, salt, info);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Be64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
