using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using SignalSharp.Lattice;

namespace SignalSharp.Benchmarks;

/// <summary>
/// Lattice KEMs: ours (Kyber1024 round 3, ML-KEM-768 incl. SPQR's split encapsulation, ML-KEM-1024) next to
/// BouncyCastle 2.7.0's ML-KEM-768/1024 as the reference cost (BC has no round-3 Kyber; Kyber1024 is compared
/// with BC ML-KEM-1024, the same lattice work).
/// </summary>
[MemoryDiagnoser]
public class KemBenchmarks
{
    private readonly byte[] _m = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _ss = new byte[32];

    private readonly byte[] _kyberPk = new byte[Kyber1024.EncapsulationKeySize];
    private readonly byte[] _kyberSk = new byte[Kyber1024.DecapsulationKeySize];
    private readonly byte[] _kyberCt = new byte[Kyber1024.CiphertextSize];

    private readonly byte[] _mlKem768Ek = new byte[MlKem768.EncapsulationKeySize];
    private readonly byte[] _mlKem768Dk = new byte[MlKem768.DecapsulationKeySize];
    private readonly byte[] _mlKem768Ct = new byte[MlKem768.CiphertextSize];
    private readonly byte[] _mlKem768Header = new byte[MlKem768.HeaderSize];

    private readonly byte[] _mlKem1024Ek = new byte[MlKem1024.EncapsulationKeySize];
    private readonly byte[] _mlKem1024Dk = new byte[MlKem1024.DecapsulationKeySize];
    private readonly byte[] _mlKem1024Ct = new byte[MlKem1024.CiphertextSize];

    private readonly SecureRandom _bcRandom = new();
    private MLKemKeyPairGenerator _bc768Generator = null!;
    private MLKemKeyPairGenerator _bc1024Generator = null!;
    private MLKemEncapsulator _bc768Encapsulator = null!;
    private MLKemEncapsulator _bc1024Encapsulator = null!;
    private MLKemDecapsulator _bc768Decapsulator = null!;
    private MLKemDecapsulator _bc1024Decapsulator = null!;
    private byte[] _bc768Ct = null!;
    private byte[] _bc1024Ct = null!;

    [GlobalSetup]
    public void Setup()
    {
        Kyber1024.GenerateKeyPair(_kyberPk, _kyberSk);
        Kyber1024.Encapsulate(_kyberPk, _m, _kyberCt, _ss);
        MlKem768.GenerateKeyPair(_mlKem768Ek, _mlKem768Dk);
        MlKem768.Encapsulate(_mlKem768Ek, _m, _mlKem768Ct, _ss);
        MlKem768.ComputeHeader(_mlKem768Ek, _mlKem768Header);
        MlKem1024.GenerateKeyPair(_mlKem1024Ek, _mlKem1024Dk);
        MlKem1024.Encapsulate(_mlKem1024Ek, _m, _mlKem1024Ct, _ss);

        (_bc768Generator, _bc768Encapsulator, _bc768Decapsulator, _bc768Ct) = SetupBc(MLKemParameters.ml_kem_768);
        (_bc1024Generator, _bc1024Encapsulator, _bc1024Decapsulator, _bc1024Ct) = SetupBc(MLKemParameters.ml_kem_1024);
    }

    private (MLKemKeyPairGenerator, MLKemEncapsulator, MLKemDecapsulator, byte[]) SetupBc(MLKemParameters parameters)
    {
        var generator = new MLKemKeyPairGenerator();
        generator.Init(new MLKemKeyGenerationParameters(_bcRandom, parameters));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        var encapsulator = new MLKemEncapsulator(parameters);
        encapsulator.Init(new ParametersWithRandom(pair.Public, _bcRandom));
        var decapsulator = new MLKemDecapsulator(parameters);
        decapsulator.Init(pair.Private);
        var ct = new byte[encapsulator.EncapsulationLength];
        encapsulator.Encapsulate(ct, _ss);
        return (generator, encapsulator, decapsulator, ct);
    }

    [Benchmark]
    public void Kyber1024_KeyGen() => Kyber1024.GenerateKeyPair(_kyberPk, _kyberSk);

    [Benchmark]
    public void Kyber1024_Encaps() => Kyber1024.Encapsulate(_kyberPk, _m, _kyberCt, _ss);

    [Benchmark]
    public void Kyber1024_Decaps() => Kyber1024.Decapsulate(_kyberSk, _kyberCt, _ss);

    [Benchmark]
    public void MlKem1024_KeyGen() => MlKem1024.GenerateKeyPair(_mlKem1024Ek, _mlKem1024Dk);

    [Benchmark]
    public void MlKem1024_Encaps() => MlKem1024.Encapsulate(_mlKem1024Ek, _m, _mlKem1024Ct, _ss);

    [Benchmark]
    public void MlKem1024_Decaps() => MlKem1024.Decapsulate(_mlKem1024Dk, _mlKem1024Ct, _ss);

    [Benchmark]
    public void MlKem768_KeyGen() => MlKem768.GenerateKeyPair(_mlKem768Ek, _mlKem768Dk);

    [Benchmark]
    public void MlKem768_Encaps() => MlKem768.Encapsulate(_mlKem768Ek, _m, _mlKem768Ct, _ss);

    [Benchmark]
    public void MlKem768_Decaps() => MlKem768.Decapsulate(_mlKem768Dk, _mlKem768Ct, _ss);

    [Benchmark]
    public void MlKem768_EncapsPart1() =>
        MlKem768.EncapsulatePart1(_mlKem768Header, _m, _mlKem768Ct.AsSpan(0, MlKem768.Ct1Size), _ss);

    [Benchmark]
    public void MlKem768_EncapsPart2() =>
        MlKem768.EncapsulatePart2(_mlKem768Header, _mlKem768Ek.AsSpan(0, MlKem768.EncapsulationKeyVectorSize), _m, _mlKem768Ct.AsSpan(MlKem768.Ct1Size));

    [Benchmark]
    public AsymmetricCipherKeyPair Bc_MlKem768_KeyGen() => _bc768Generator.GenerateKeyPair();

    [Benchmark]
    public void Bc_MlKem768_Encaps() => _bc768Encapsulator.Encapsulate(_bc768Ct, _ss);

    [Benchmark]
    public void Bc_MlKem768_Decaps() => _bc768Decapsulator.Decapsulate(_bc768Ct, _ss);

    [Benchmark]
    public AsymmetricCipherKeyPair Bc_MlKem1024_KeyGen() => _bc1024Generator.GenerateKeyPair();

    [Benchmark]
    public void Bc_MlKem1024_Encaps() => _bc1024Encapsulator.Encapsulate(_bc1024Ct, _ss);

    [Benchmark]
    public void Bc_MlKem1024_Decaps() => _bc1024Decapsulator.Decapsulate(_bc1024Ct, _ss);
}
