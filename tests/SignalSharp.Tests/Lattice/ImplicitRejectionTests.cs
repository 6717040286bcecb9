using System.Security.Cryptography;
using SignalSharp.Lattice;
using Xunit;

namespace SignalSharp.Tests.Lattice;

/// <summary>
/// Decapsulating a modified ciphertext must not fail: it returns a secret that differs from the real one,
/// is the same on every call (deterministic in dk and c), and differs between different tamperings. For
/// Kyber round 3 the value is pinned exactly: SHAKE-256(z ‖ SHA3-256(c)).
/// </summary>
public class ImplicitRejectionTests
{
    [Fact]
    public void Kyber1024RejectionSecretIsShakeOfZAndCiphertextHash()
    {
        byte[] d = RandomNumberGenerator.GetBytes(32), z = RandomNumberGenerator.GetBytes(32);
        var pk = new byte[Kyber1024.EncapsulationKeySize];
        var sk = new byte[Kyber1024.DecapsulationKeySize];
        Kyber1024.GenerateKeyPair(d, z, pk, sk);
        var ct = new byte[Kyber1024.CiphertextSize];
        var ss = new byte[32];
        Kyber1024.Encapsulate(pk, RandomNumberGenerator.GetBytes(32), ct, ss);

        ct[^1] ^= 0x80;
        var rejected = new byte[32];
        Kyber1024.Decapsulate(sk, ct, rejected);

        var ctHash = new byte[32];
        Sha3.Sha3_256(ct, default, ctHash);
        var expected = new byte[32];
        Sha3.Shake256(z, ctHash, expected);
        Assert.Equal(expected, rejected);
        Assert.NotEqual(ss, rejected);
    }

    [Fact]
    public void TamperedCiphertextsGiveDistinctDeterministicSecrets()
    {
        AssertRejects(Kyber1024.CiphertextSize, Kyber1024.GenerateKeyPair, Kyber1024.Encapsulate, Kyber1024.Decapsulate, Kyber1024.EncapsulationKeySize, Kyber1024.DecapsulationKeySize);
        AssertRejects(MlKem1024.CiphertextSize, MlKem1024.GenerateKeyPair, MlKem1024.Encapsulate, MlKem1024.Decapsulate, MlKem1024.EncapsulationKeySize, MlKem1024.DecapsulationKeySize);
        AssertRejects(MlKem768.CiphertextSize, MlKem768.GenerateKeyPair, MlKem768.Encapsulate, MlKem768.Decapsulate, MlKem768.EncapsulationKeySize, MlKem768.DecapsulationKeySize);
    }

    private static void AssertRejects(
        int ctSize,
        MlKemBouncyCastleCrossTests.KeyGenFn keyGen,
        MlKemBouncyCastleCrossTests.EncapsFn encaps,
        MlKemBouncyCastleCrossTests.DecapsFn decaps,
        int ekSize,
        int dkSize)
    {
        var ek = new byte[ekSize];
        var dk = new byte[dkSize];
        keyGen(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), ek, dk);
        var ct = new byte[ctSize];
        var ss = new byte[32];
        encaps(ek, RandomNumberGenerator.GetBytes(32), ct, ss);

        var seen = new HashSet<string> { Convert.ToHexString(ss) };
        foreach (int position in new[] { 0, ctSize / 2, ctSize - 1 })
        {
            var tampered = (byte[])ct.Clone();
            tampered[position] ^= 0x04;
            var first = new byte[32];
            var second = new byte[32];
            decaps(dk, tampered, first);
            decaps(dk, tampered, second);
            Assert.Equal(first, second);
            Assert.True(seen.Add(Convert.ToHexString(first)), "rejection secret repeated or equals the real secret");
        }

        var again = new byte[32];
        decaps(dk, ct, again);
        Assert.Equal(ss, again);
    }
}
