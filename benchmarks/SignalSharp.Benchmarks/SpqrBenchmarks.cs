using BenchmarkDotNet.Attributes;
using SignalSharp.Crypto;
using SignalSharp.Lattice;
using SignalSharp.Spqr;

namespace SignalSharp.Benchmarks;

/// <summary>
/// SPQR per-message cost. <see cref="LockstepEpoch"/> runs one full braid epoch (44 round trips = 88
/// messages, including one ML-KEM-768 key generation, split encapsulation and decapsulation);
/// <see cref="EkChunkMessage"/> is one Send + Receive in the middle of an epoch (chunk encode + chain step).
/// Baselines: one HKDF-SHA256 chain step and one ML-KEM-768 key generation.
/// </summary>
[MemoryDiagnoser]
public class SpqrBenchmarks
{
    private readonly byte[] authKey = new byte[32];
    private SpqrState alice = null!;
    private SpqrState bob = null!;
    private SpqrState midAlice = null!;
    private SpqrState midBob = null!;

    [GlobalSetup]
    public void Setup()
    {
        RandomSource.Secure.Fill(authKey);
        alice = SpqrState.Initialize(authKey, SpqrDirection.A2B);
        bob = SpqrState.Initialize(authKey, SpqrDirection.B2A);
        (midAlice, midBob) = (alice, bob);
        for (int i = 0; i < 10; i++)
        {
            (midAlice, midBob) = Round(midAlice, midBob);
        }
    }

    [Benchmark(OperationsPerInvoke = 88)]
    public long LockstepEpoch()
    {
        var (a, b) = (alice, bob);
        for (int i = 0; i < 44; i++)
        {
            (a, b) = Round(a, b);
        }

        return a.CurrentEpoch;
    }

    [Benchmark]
    public long EkChunkMessage()
    {
        var sent = midAlice.Send(RandomSource.Secure);
        return midBob.Receive(sent.Message).NewState.CurrentEpoch;
    }

    [Benchmark]
    public byte[] HkdfChainStepBaseline() => SignalHkdf.DeriveKey(authKey, new byte[32], "Signal PQ Ratchet V1 Chain Next"u8, 64);

    [Benchmark]
    public byte[] MlKem768KeyGenerationBaseline()
    {
        var ek = new byte[MlKem768.EncapsulationKeySize];
        var dk = new byte[MlKem768.DecapsulationKeySize];
        MlKem768.GenerateKeyPair(ek, dk);
        return ek;
    }

    private static (SpqrState, SpqrState) Round(SpqrState a, SpqrState b)
    {
        var fromA = a.Send(RandomSource.Secure);
        b = b.Receive(fromA.Message).NewState;
        var fromB = b.Send(RandomSource.Secure);
        a = a.Receive(fromB.Message).NewState;
        return (fromA.NewState, b);
    }
}
