using System.Text;
using BenchmarkDotNet.Attributes;
using SignalSharp;
using SignalSharp.Fingerprints;

namespace SignalSharp.Benchmarks;

/// <summary>Safety-number costs: the full computation (two 5200-round SHA-512 chains) and a scan comparison.</summary>
[MemoryDiagnoser]
public class FingerprintBenchmarks
{
    private readonly NumericFingerprintGenerator _generator = new();
    private readonly byte[] _localId = Encoding.UTF8.GetBytes("+14152222222");
    private readonly byte[] _remoteId = Encoding.UTF8.GetBytes("+14153333333");
    private IdentityKey _localKey = null!;
    private IdentityKey _remoteKey = null!;
    private Fingerprint _fingerprint = null!;
    private byte[] _scanned = null!;

    [GlobalSetup]
    public void Setup()
    {
        _localKey = IdentityKey.Deserialize(Convert.FromHexString("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868"));
        _remoteKey = IdentityKey.Deserialize(Convert.FromHexString("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b"));
        _fingerprint = _generator.CreateFor(2, _localId, _localKey, _remoteId, _remoteKey);
        _scanned = _generator.CreateFor(2, _remoteId, _remoteKey, _localId, _localKey).ScannableFingerprint.Serialize();
    }

    [Benchmark]
    public Fingerprint Create5200() => _generator.CreateFor(2, _localId, _localKey, _remoteId, _remoteKey);

    [Benchmark]
    public bool CompareScanned() => _fingerprint.ScannableFingerprint.CompareTo(_scanned);
}
