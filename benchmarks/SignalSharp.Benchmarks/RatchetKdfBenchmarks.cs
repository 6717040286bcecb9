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
    private readonly byte[] okm = new byte[MessageKeys.Size];

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
        return ChainKdf.Step(chainKey, seed);
    }

    [Benchmark]
    public int MessageKeyDerivation()
    {
        MessageKeys.Derive(seed, spqrKey, okm);
        return okm[64];
    }
}
