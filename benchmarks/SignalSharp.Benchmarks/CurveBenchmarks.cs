using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SignalSharp;

namespace SignalSharp.Benchmarks;

/// <summary>
/// Curve25519 primitives as libsignal's API exposes them (PrivateKey.generate/agree/sign, PublicKey.verify),
/// plus BouncyCastle 2.7.0's X25519 as a managed reference. Compare with benchmarks/node/libsignal-primitives.mjs.
/// </summary>
[MemoryDiagnoser]
public class CurveBenchmarks
{
    private readonly byte[] _message = RandomNumberGenerator.GetBytes(64);
    private readonly byte[] _shared = new byte[32];
    private readonly byte[] _signatureOut = new byte[64];
    private readonly byte[] _bcPrivate = new byte[32];
    private readonly byte[] _bcPublic = new byte[32];
    private EcPrivateKey _alice = null!;
    private byte[] _aliceBytes = null!;
    private EcPublicKey _alicePublic = null!;
    private EcPublicKey _bobPublic = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alice = EcPrivateKey.Generate();
        _aliceBytes = _alice.Serialize();
        _alicePublic = _alice.PublicKey;
        using var bob = EcPrivateKey.Generate();
        _bobPublic = bob.PublicKey;
        _signature = _alice.CalculateSignature(_message);
        _aliceBytes.CopyTo(_bcPrivate, 0);
        _bobPublic.PublicKeyBytes.CopyTo(_bcPublic);
    }

    [GlobalCleanup]
    public void Cleanup() => _alice.Dispose();

    /// <summary>libsignal PrivateKey.generate() + getPublicKey().</summary>
    [Benchmark]
    public EcPublicKey X25519KeyGeneration()
    {
        using var key = EcPrivateKey.Generate();
        return key.PublicKey;
    }

    /// <summary>libsignal PrivateKey.agree().</summary>
    [Benchmark]
    public byte[] X25519Agreement()
    {
        _alice.CalculateAgreement(_bobPublic, _shared);
        return _shared;
    }

    /// <summary>BouncyCastle's X25519 scalar multiplication (the managed alternative).</summary>
    [Benchmark]
    public byte[] X25519AgreementBouncyCastle()
    {
        Org.BouncyCastle.Math.EC.Rfc7748.X25519.ScalarMult(_bcPrivate, 0, _bcPublic, 0, _shared, 0);
        return _shared;
    }

    /// <summary>libsignal PrivateKey.sign() on a key object that has signed before (Edwards public key cached).</summary>
    [Benchmark]
    public byte[] XEdDsaSign()
    {
        _alice.CalculateSignature(_message, _signatureOut);
        return _signatureOut;
    }

    /// <summary>Sign with a freshly loaded key: both base-point multiplications (A = a·B and R = r·B).</summary>
    [Benchmark]
    public byte[] XEdDsaSignFreshKey()
    {
        using var key = EcPrivateKey.Deserialize(_aliceBytes);
        key.CalculateSignature(_message, _signatureOut);
        return _signatureOut;
    }

    /// <summary>libsignal PublicKey.verify().</summary>
    [Benchmark]
    public bool XEdDsaVerify() => _alicePublic.VerifySignature(_message, _signature);
}
