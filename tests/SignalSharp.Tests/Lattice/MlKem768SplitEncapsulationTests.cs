using System.Security.Cryptography;
using SignalSharp.Lattice;
using Xunit;

namespace SignalSharp.Tests.Lattice;

/// <summary>
/// SPQR's incremental ML-KEM-768 encapsulation (wire-facts §6.8): header = ρ ‖ SHA3-256(ek), part 1 from
/// the header alone, part 2 once the 1152-byte key vector is known; the pieces must equal one-shot FIPS 203
/// encapsulation with the same m.
/// </summary>
public class MlKem768SplitEncapsulationTests
{
    [Fact]
    public void PartsConcatenateToOneShotEncapsulation()
    {
        for (int i = 0; i < 25; i++)
        {
            var (ek, dk) = NewKeyPair();
            byte[] m = RandomNumberGenerator.GetBytes(32);
            var ct = new byte[MlKem768.CiphertextSize];
            var ss = new byte[32];
            MlKem768.Encapsulate(ek, m, ct, ss);

            var header = new byte[MlKem768.HeaderSize];
            MlKem768.ComputeHeader(ek, header);
            var ct1 = new byte[MlKem768.Ct1Size];
            var ct2 = new byte[MlKem768.Ct2Size];
            var splitSecret = new byte[32];
            MlKem768.EncapsulatePart1(header, m, ct1, splitSecret);
            var ekVector = ek.AsSpan(0, MlKem768.EncapsulationKeyVectorSize).ToArray();
            Assert.True(MlKem768.EncapsulationKeyMatchesHeader(ekVector, header));
            MlKem768.EncapsulatePart2(header, ekVector, m, ct2);

            Assert.Equal(ct, ct1.Concat(ct2).ToArray());
            Assert.Equal(ss, splitSecret);
            var decapsulated = new byte[32];
            MlKem768.Decapsulate(dk, ct1.Concat(ct2).ToArray(), decapsulated);
            Assert.Equal(ss, decapsulated);
        }
    }

    [Fact]
    public void HeaderIsRhoFollowedBySha3OfTheKey()
    {
        var (ek, _) = NewKeyPair();
        var header = new byte[MlKem768.HeaderSize];
        MlKem768.ComputeHeader(ek, header);
        Assert.Equal(ek.AsSpan(1152).ToArray(), header.AsSpan(0, 32).ToArray());
        Assert.Equal(SHA3_256.IsSupported ? SHA3_256.HashData(ek) : Sha3Reference(ek), header.AsSpan(32).ToArray());
    }

    [Fact]
    public void TamperedVectorOrHeaderDoesNotMatch()
    {
        var (ek, _) = NewKeyPair();
        var header = new byte[MlKem768.HeaderSize];
        MlKem768.ComputeHeader(ek, header);
        var ekVector = ek.AsSpan(0, MlKem768.EncapsulationKeyVectorSize).ToArray();

        var tamperedVector = (byte[])ekVector.Clone();
        tamperedVector[700] ^= 0x10;
        Assert.False(MlKem768.EncapsulationKeyMatchesHeader(tamperedVector, header));

        foreach (int position in new[] { 3, 40 })
        {
            var tamperedHeader = (byte[])header.Clone();
            tamperedHeader[position] ^= 0x01;
            Assert.False(MlKem768.EncapsulationKeyMatchesHeader(ekVector, tamperedHeader));
        }

        Assert.False(MlKem768.EncapsulationKeyMatchesHeader(ekVector.AsSpan(1), header));
        Assert.False(MlKem768.EncapsulationKeyMatchesHeader(ekVector, header.AsSpan(1)));
    }

    [Fact]
    public void NonCanonicalVectorFailsTheModulusCheckEvenWithAMatchingHash()
    {
        var (ek, _) = NewKeyPair();
        // Coefficient 0 := 4095 (≥ q): the header is recomputed so only the modulus check can reject it.
        ek[0] = 0xFF;
        ek[1] |= 0x0F;
        var header = new byte[MlKem768.HeaderSize];
        MlKem768.ComputeHeader(ek, header);
        Assert.False(MlKem768.EncapsulationKeyMatchesHeader(ek.AsSpan(0, MlKem768.EncapsulationKeyVectorSize), header));
        Assert.False(MlKem768.IsValidEncapsulationKey(ek));
        Assert.Throws<ArgumentException>(() => MlKem768.Encapsulate(ek, new byte[32], new byte[MlKem768.CiphertextSize], new byte[32]));
    }

    [Fact]
    public void WrongLengthsAreArgumentErrors()
    {
        var (ek, dk) = NewKeyPair();
        var header = new byte[64];
        Assert.Throws<ArgumentException>(() => MlKem768.ComputeHeader(ek.AsSpan(1), header));
        Assert.Throws<ArgumentException>(() => MlKem768.EncapsulatePart1(header.AsSpan(1), new byte[32], new byte[960], new byte[32]));
        Assert.Throws<ArgumentException>(() => MlKem768.EncapsulatePart1(header, new byte[31], new byte[960], new byte[32]));
        Assert.Throws<ArgumentException>(() => MlKem768.EncapsulatePart1(header, new byte[32], new byte[959], new byte[32]));
        Assert.Throws<ArgumentException>(() => MlKem768.EncapsulatePart2(header, new byte[1151], new byte[32], new byte[128]));
        Assert.Throws<ArgumentException>(() => MlKem768.EncapsulatePart2(header, new byte[1152], new byte[32], new byte[127]));
        Assert.Throws<ArgumentException>(() => MlKem768.Decapsulate(dk, new byte[1087], new byte[32]));
        Assert.Throws<ArgumentException>(() => MlKem768.Decapsulate(dk.AsSpan(1), new byte[1088], new byte[32]));
        Assert.Throws<ArgumentException>(() => MlKem768.GenerateKeyPair(new byte[32], new byte[32], new byte[1183], new byte[2400]));
    }

    internal static (byte[] Ek, byte[] Dk) NewKeyPair()
    {
        var ek = new byte[MlKem768.EncapsulationKeySize];
        var dk = new byte[MlKem768.DecapsulationKeySize];
        MlKem768.GenerateKeyPair(ek, dk);
        return (ek, dk);
    }

    private static byte[] Sha3Reference(byte[] data)
    {
        var digest = new Org.BouncyCastle.Crypto.Digests.Sha3Digest(256);
        digest.BlockUpdate(data, 0, data.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
