using BenchmarkDotNet.Attributes;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.SealedSender;

namespace SignalSharp.Benchmarks.Compare;

/// <summary>
/// Large-group workloads (the same as benchmarks/node/libsignal-group-workloads.mjs), on the sender and sessions
/// of the sealed v2 setup (<see cref="MultiSetup"/>: 10, 100 or 1,000 devices, each a different user, sessions
/// from a pre-key bundle): sender-key distribution (create the distribution message, encrypt it for every device
/// over its pairwise session) and group send with fan-out (group encrypt 64 B, then one multi-recipient sealed
/// sender v2 message for every device). One operation covers the whole group.
/// </summary>
public partial class CompareBenchmarks
{
    private InMemorySignalProtocolStore _multiStore = null!;
    private GroupCipher _multiGroup = null!;
    private SenderCertificate _multiCertificate = null!;
    private SessionCipher[] _memberCiphers = [];
    private static readonly byte[] GroupId = new byte[16];

    [GlobalSetup(Targets = [nameof(Distribute10), nameof(FanOut10)])]
    public void GroupScaleSetup10() => GroupScaleSetup(10);

    [GlobalSetup(Targets = [nameof(Distribute100), nameof(FanOut100)])]
    public void GroupScaleSetup100() => GroupScaleSetup(100);

    [GlobalSetup(Targets = [nameof(Distribute1000), nameof(FanOut1000)])]
    public void GroupScaleSetup1000() => GroupScaleSetup(1000);

    [Benchmark]
    public int Distribute10() => Distribute();

    [Benchmark]
    public int Distribute100() => Distribute();

    [Benchmark]
    public int Distribute1000() => Distribute();

    [Benchmark]
    public byte[] FanOut10() => FanOut();

    [Benchmark]
    public byte[] FanOut100() => FanOut();

    [Benchmark]
    public byte[] FanOut1000() => FanOut();

    private void GroupScaleSetup(int devices)
    {
        MultiSetup(devices);
        _memberCiphers = _multiRecipients.Select(r => new SessionCipher(_multiStore, SealedAliceAddress, r)).ToArray();
    }

    /// <summary>The distribution message, encrypted (and serialized for sending) once per member device.</summary>
    private int Distribute()
    {
        byte[] distribution = Sync.Run(_multiGroup.CreateDistributionMessageAsync(SealedAliceAddress, Distribution)).Serialize();
        int bytes = 0;
        foreach (var cipher in _memberCiphers)
        {
            bytes += Sync.Run(cipher.EncryptAsync(distribution)).Serialize().Length;
        }

        return bytes;
    }

    /// <summary>One group message for every member device: sender-key encrypt, then sealed sender v2 to all.</summary>
    private byte[] FanOut()
    {
        var body = Sync.Run(_multiGroup.EncryptAsync(SealedAliceAddress, Distribution, _plaintext64)).Serialize();
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, _multiCertificate, body, ContentHint.Resendable, GroupId);
        return Sync.Run(_multiSender.MultiRecipientEncryptAsync(_multiRecipients, content));
    }
}
