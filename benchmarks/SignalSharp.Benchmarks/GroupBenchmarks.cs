using BenchmarkDotNet.Attributes;
using SignalSharp.Groups;

namespace SignalSharp.Benchmarks;

/// <summary>
/// Sender-key costs per operation, with stores that do no I/O. Decryption runs against a store that always hands
/// out the same record and ignores writes, so the same message can be decrypted on every invocation (the work is
/// identical to a first decryption: load, signature check, chain step, AES-CBC).
/// </summary>
[MemoryDiagnoser]
public class GroupBenchmarks
{
    private static readonly Guid Distribution = Guid.Parse("0f0f0f0f-0000-4000-8000-000000000000");
    private readonly ProtocolAddress _sender = new("sender", 1);
    private readonly ProtocolAddress _receiver = new("receiver", 1);
    private GroupCipher _senderCipher = null!;
    private GroupCipher _receiverCipher = null!;
    private GroupCipher _freshReceiverCipher = null!;
    private byte[] _distribution = null!;
    private EcPublicKey _signingKey = null!;
    private byte[] _message64 = null!;
    private byte[] _message1k = null!;
    private readonly byte[] _plaintext64 = new byte[64];
    private readonly byte[] _plaintext1k = new byte[1024];

    [GlobalSetup]
    public void Setup()
    {
        _senderCipher = new GroupCipher(new InMemorySenderKeyStore());
        var skdm = _senderCipher.CreateDistributionMessageAsync(_sender, Distribution).AsTask().GetAwaiter().GetResult();
        _distribution = skdm.Serialize();
        _signingKey = skdm.SigningKey;

        var receiverStore = new InMemorySenderKeyStore();
        new GroupCipher(receiverStore).ProcessDistributionMessageAsync(_sender, skdm).AsTask().GetAwaiter().GetResult();
        var frozen = receiverStore.LoadSenderKeyAsync(_sender, Distribution).AsTask().GetAwaiter().GetResult()!;
        _receiverCipher = new GroupCipher(new FrozenStore(frozen));
        _freshReceiverCipher = new GroupCipher(new FrozenStore(null));
        _message64 = _senderCipher.EncryptAsync(_sender, Distribution, _plaintext64).AsTask().GetAwaiter().GetResult().Serialize();
        _message1k = _senderCipher.EncryptAsync(_sender, Distribution, _plaintext1k).AsTask().GetAwaiter().GetResult().Serialize();
    }

    [Benchmark]
    public async Task<SenderKeyMessage> Encrypt64() => await _senderCipher.EncryptAsync(_sender, Distribution, _plaintext64);

    [Benchmark]
    public async Task<SenderKeyMessage> Encrypt1KiB() => await _senderCipher.EncryptAsync(_sender, Distribution, _plaintext1k);

    [Benchmark]
    public async Task<byte[]> Decrypt64() => await _receiverCipher.DecryptAsync(_sender, _message64);

    [Benchmark]
    public async Task<byte[]> Decrypt1KiB() => await _receiverCipher.DecryptAsync(_sender, _message1k);

    /// <summary>The share of a decryption spent parsing and checking the XEdDSA signature.</summary>
    [Benchmark]
    public bool ParseAndVerifyOnly64() => SenderKeyMessage.Parse(_message64).VerifySignature(_signingKey);

    [Benchmark]
    public async Task ProcessDistributionMessage() => await _freshReceiverCipher.ProcessDistributionMessageAsync(_receiver, _distribution);

    /// <summary>Always returns (a copy of) the same record and discards writes.</summary>
    private sealed class FrozenStore(SenderKeyRecord? record) : ISenderKeyStore
    {
        public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(record?.Clone());

        public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
            => ValueTask.CompletedTask;
    }
}
