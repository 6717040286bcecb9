using System.Buffers.Binary;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace SignalSharp.Benchmarks.Compare;

/// <summary>
/// The primitive floor of a one-way 64 B message: the crypto a message cannot avoid, each primitive called
/// the cheapest way available (span APIs, no allocation) with the input sizes a real message has. The HMAC and
/// HKDF rows are the cheaper of the platform one-shot calls and the same calls through SignalSharp's wrappers
/// (both the BCL), so the floor is not raised by a slower primitive choice.
/// Encrypt = chain step (2 HMACs) + SPQR chain step (HKDF → 64 B) + message keys (HKDF → 80 B) + AES-256-CBC
/// with a new key + the 8-byte-truncated HMAC over both identity keys and the serialized message.
/// Decrypt = the same with AES-CBC decryption (the MAC is recomputed and compared).
/// </summary>
[MemoryDiagnoser]
public class PrimitiveFloorBenchmarks
{
    // version byte + protobuf of a 64 B SignalMessage with an SPQR chunk, as measured on the wire (≈ 172 B with
    // the MAC); the MAC input is both 33-byte identity keys followed by it.
    private const int MacInputLength = 33 + 33 + 164;

    private readonly byte[] _chainKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _macInput = RandomNumberGenerator.GetBytes(MacInputLength);
    private readonly byte[] _plaintext = new byte[64];
    private readonly byte[] _okm = new byte[80];
    private readonly byte[] _spqrOut = new byte[64];
    private readonly byte[] _tag = new byte[32];
    private readonly byte[] _seed = new byte[32];
    private readonly byte[] _next = new byte[32];
    private readonly byte[] _ciphertext = new byte[80];
    private readonly byte[] _decrypted = new byte[80];
    private readonly byte[] _spqrInfo = new byte[4 + 31];
    private readonly Aes _aes = Aes.Create();
    private byte[] _ciphertextIn = null!;

    [GlobalSetup]
    public void Setup()
    {
        _aes.Key = _okm.AsSpan(0, 32).ToArray();
        _ciphertextIn = _aes.EncryptCbc(_plaintext, _okm.AsSpan(64, 16), PaddingMode.PKCS7);
    }

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    /// <summary>Message seed and next chain key: two HMAC-SHA256 over one byte (platform one-shot calls).</summary>
    [Benchmark]
    public byte[] ChainStep()
    {
        HMACSHA256.HashData(_chainKey, [0x01], _seed);
        HMACSHA256.HashData(_chainKey, [0x02], _next);
        return _next;
    }

    /// <summary>The same through SignalSharp's ChainKdf.Step.</summary>
    [Benchmark]
    public byte[] ChainStepWrapper() => Ratchet.ChainKdf.Step(_chainKey, _seed);

    /// <summary>SPQR chain step: HKDF(zero salt, chain key, BE32(index) ‖ label) → next key ‖ message key.</summary>
    [Benchmark]
    public byte[] SpqrChainStep()
    {
        BinaryPrimitives.WriteUInt32BigEndian(_spqrInfo, 7);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _chainKey, _spqrOut, new byte[32], _spqrInfo);
        return _spqrOut;
    }

    [Benchmark]
    public byte[] SpqrChainStepWrapper()
    {
        BinaryPrimitives.WriteUInt32BigEndian(_spqrInfo, 7);
        Crypto.SignalHkdf.DeriveKey(_chainKey, new byte[32], _spqrInfo, _spqrOut);
        return _spqrOut;
    }

    [Benchmark]
    public byte[] MessageKeysHkdfWrapper()
    {
        Crypto.SignalHkdf.DeriveKey(_seed, _salt, "WhisperMessageKeys"u8, _okm);
        return _okm;
    }

    [Benchmark]
    public byte[] MessageMacWrapper()
    {
        Crypto.HmacSha256.Compute(_okm.AsSpan(32, 32), _macInput, _tag);
        return _tag;
    }

    /// <summary>Message keys: HKDF(SPQR key as salt, seed, "WhisperMessageKeys") → 80 B.</summary>
    [Benchmark]
    public byte[] MessageKeysHkdf()
    {
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _seed, _okm, _salt, "WhisperMessageKeys"u8);
        return _okm;
    }

    [Benchmark]
    public int AesCbcEncrypt64()
    {
        _aes.SetKey(_okm.AsSpan(0, 32));
        return _aes.EncryptCbc(_plaintext, _okm.AsSpan(64, 16), _ciphertext, PaddingMode.PKCS7);
    }

    [Benchmark]
    public int AesCbcDecrypt64()
    {
        _aes.SetKey(_okm.AsSpan(0, 32));
        return _aes.DecryptCbc(_ciphertextIn, _okm.AsSpan(64, 16), _decrypted, PaddingMode.PKCS7);
    }

    [Benchmark]
    public byte[] MessageMac()
    {
        HMACSHA256.HashData(_okm.AsSpan(32, 32), _macInput, _tag);
        return _tag;
    }
}
