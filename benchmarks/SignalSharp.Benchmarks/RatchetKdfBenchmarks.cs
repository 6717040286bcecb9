using BenchmarkDotNet.Attributes;
using SignalSharp.Crypto;
using SignalSharp.Ratchet;

namespace SignalSharp.Benchmarks;

/// <summary>
/// The symmetric work every 1:1 message does: one chain step (seed and next chain key, two HMACs) and the
/// message-key derivation (HKDF salted with the SPQR key → AES key, MAC key, IV).
/// </summary>
[MemoryDiagnoser]
public class RatchetKdfBenchmarks
{
    private readonly byte[] chainKey = new byte[32];
    private readonly byte[] spqrKey = new byte[32];
    private readonly byte[] seed = new byte[32];

    [GlobalSetup]
    public void Setup()
    {
        RandomSource.Secure.Fill(chainKey);
        RandomSource.Secure.Fill(spqrKey);
        RandomSource.Secure.Fill(seed);
    }

    [Benchmark]
    public byte[] ChainStep()
    {
        _ = ChainKdf.MessageSeed(chainKey);
        return ChainKdf.Next(chainKey);
    }

    [Benchmark]
    public int MessageKeyDerivation()
    {
        using var keys = MessageKeys.Derive(seed, spqrKey);
        return keys.Iv[0];
    }
}
