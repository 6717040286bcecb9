using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using SignalSharp.Lattice;
using Xunit;

namespace SignalSharp.Tests.Lattice;

/// <summary>
/// ML-KEM-768 and ML-KEM-1024 against BouncyCastle 2.7.0's independent FIPS 203 implementation: identical
/// keys from the same (d, z) seed, identical ciphertext and secret from the same message m, and decapsulation
/// of each other's ciphertexts in both directions.
/// </summary>
public class MlKemBouncyCastleCrossTests
{
    public static TheoryData<string> ParameterSets => new() { "768", "1024" };

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void SameSeedsGiveBouncyCastleKeys(string set)
    {
        var scheme = Scheme.For(set);
        for (int i = 0; i < 10; i++)
        {
            byte[] seed = RandomNumberGenerator.GetBytes(64);
            var ek = new byte[scheme.EkSize];
            var dk = new byte[scheme.DkSize];
            scheme.KeyGen(seed.AsSpan(0, 32), seed.AsSpan(32), ek, dk);

            var bc = MLKemPrivateKeyParameters.FromSeed(scheme.BcParameters, seed);
            Assert.Equal(bc.GetPublicKeyEncoded(), ek);
            Assert.Equal(bc.GetEncoded(), dk);
            Assert.True(scheme.ValidEk(ek));
            Assert.True(scheme.ValidDk(dk));
        }
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void SameMessageGivesBouncyCastleCiphertextAndSecret(string set)
    {
        var scheme = Scheme.For(set);
        for (int i = 0; i < 20; i++)
        {
            var generator = new MLKemKeyPairGenerator();
            generator.Init(new MLKemKeyGenerationParameters(new SecureRandom(), scheme.BcParameters));
            var pair = generator.GenerateKeyPair();
            byte[] ek = ((MLKemPublicKeyParameters)pair.Public).GetEncoded();
            byte[] dk = ((MLKemPrivateKeyParameters)pair.Private).GetEncoded();
            byte[] m = RandomNumberGenerator.GetBytes(32);

            var encapsulator = new MLKemEncapsulator(scheme.BcParameters);
            encapsulator.Init(new ParametersWithRandom(pair.Public, new FixedSecureRandom(m)));
            var bcCt = new byte[encapsulator.EncapsulationLength];
            var bcSs = new byte[encapsulator.SecretLength];
            encapsulator.Encapsulate(bcCt, bcSs);

            var ct = new byte[scheme.CtSize];
            var ss = new byte[32];
            scheme.Encaps(ek, m, ct, ss);
            Assert.Equal(bcCt, ct);
            Assert.Equal(bcSs, ss);

            // Their ciphertext with our decapsulation, and ours with theirs (random m from here on).
            var ours = new byte[32];
            scheme.Decaps(dk, bcCt, ours);
            Assert.Equal(bcSs, ours);

            scheme.Encaps(ek, RandomNumberGenerator.GetBytes(32), ct, ss);
            var decapsulator = new MLKemDecapsulator(scheme.BcParameters);
            decapsulator.Init(pair.Private);
            var theirs = new byte[32];
            decapsulator.Decapsulate(ct, theirs);
            Assert.Equal(ss, theirs);
        }
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void TamperedCiphertextGivesBouncyCastleRejectionSecret(string set)
    {
        var scheme = Scheme.For(set);
        byte[] seed = RandomNumberGenerator.GetBytes(64);
        var ek = new byte[scheme.EkSize];
        var dk = new byte[scheme.DkSize];
        scheme.KeyGen(seed.AsSpan(0, 32), seed.AsSpan(32), ek, dk);
        var ct = new byte[scheme.CtSize];
        var ss = new byte[32];
        scheme.Encaps(ek, RandomNumberGenerator.GetBytes(32), ct, ss);
        ct[5] ^= 0x01;

        var ours = new byte[32];
        scheme.Decaps(dk, ct, ours);
        var decapsulator = new MLKemDecapsulator(scheme.BcParameters);
        decapsulator.Init(MLKemPrivateKeyParameters.FromSeed(scheme.BcParameters, seed));
        var theirs = new byte[32];
        decapsulator.Decapsulate(ct, theirs);
        Assert.NotEqual(ss, ours);
        Assert.Equal(theirs, ours);
    }

    internal delegate void KeyGenFn(ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> ek, Span<byte> dk);

    internal delegate void EncapsFn(ReadOnlySpan<byte> ek, ReadOnlySpan<byte> m, Span<byte> ct, Span<byte> ss);

    internal delegate void DecapsFn(ReadOnlySpan<byte> dk, ReadOnlySpan<byte> ct, Span<byte> ss);

    internal delegate bool CheckFn(ReadOnlySpan<byte> key);

    internal sealed record Scheme(
        MLKemParameters BcParameters, int EkSize, int DkSize, int CtSize,
        KeyGenFn KeyGen, EncapsFn Encaps, DecapsFn Decaps, CheckFn ValidEk, CheckFn ValidDk)
    {
        public static Scheme For(string set) => set switch
        {
            "768" => new Scheme(MLKemParameters.ml_kem_768, MlKem768.EncapsulationKeySize, MlKem768.DecapsulationKeySize, MlKem768.CiphertextSize,
                MlKem768.GenerateKeyPair, MlKem768.Encapsulate, MlKem768.Decapsulate, MlKem768.IsValidEncapsulationKey, MlKem768.IsValidDecapsulationKey),
            _ => new Scheme(MLKemParameters.ml_kem_1024, MlKem1024.EncapsulationKeySize, MlKem1024.DecapsulationKeySize, MlKem1024.CiphertextSize,
                MlKem1024.GenerateKeyPair, MlKem1024.Encapsulate, MlKem1024.Decapsulate, MlKem1024.IsValidEncapsulationKey, MlKem1024.IsValidDecapsulationKey),
        };
    }
}
