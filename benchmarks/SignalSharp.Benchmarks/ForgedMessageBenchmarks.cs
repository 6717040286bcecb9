using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SignalSharp;
using SignalSharp.Spqr;

namespace SignalSharp.Benchmarks;

/// <summary>
/// What an unauthenticated SignalMessage costs the receiver before it is refused (issue 10, 0b/0c): a
/// ~120-byte forgery whose counter and SPQR index are just inside the 25,000 jump limit, against a record with
/// only a current session and against one with 40 archived sessions, and a 10 MiB forgery against the full
/// record (parsed from its bytes, as a receiver gets it) and a forgery of just under 1 MiB against the full record.
/// Every invocation decrypts against a fresh copy of the same stored record and must fail. Runs in process (one
/// invocation takes up to seconds, and the generated project's build times out on a busy machine).
/// Run: <c>dotnet run -c Release --project benchmarks/SignalSharp.Benchmarks -- --filter '*ForgedMessage*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessMonitoring))]
public class ForgedMessageBenchmarks
{
    private static readonly ProtocolAddress AliceAddress = new("alice", 1);
    private static readonly ProtocolAddress BobAddress = new("bob", 1);

    private SessionCipher _bobOneState = null!;
    private SessionCipher _bobFullRecord = null!;
    private SignalMessage _farAhead = null!;
    private byte[] _large = null!;
    private SignalMessage _nearLimit = null!;

    [GlobalSetup]
    public void Setup()
    {
        var aliceIdentity = IdentityKeyPair.Generate();
        var bobIdentity = IdentityKeyPair.Generate();
        var bobIdentities = new InMemoryIdentityKeyStore(bobIdentity, 2);
        var signedPreKeys = new InMemorySignedPreKeyStore();
        var kyberPreKeys = new InMemoryKyberPreKeyStore();
        var preKeys = new InMemoryPreKeyStore();
        using var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, 0);
        Run(signedPreKeys.StoreSignedPreKeyAsync(1, signed));
        Run(kyberPreKeys.StoreKyberPreKeyAsync(1, kyber));
        var bundle = new PreKeyBundle(2, 1, null, null, 1, signed.PublicKey, signed.Signature, bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);

        // 41 handshakes from Alice: Bob's record ends with one current and 40 archived sessions.
        var bobSessions = new InMemorySessionStore();
        var bob = new SessionCipher(bobSessions, bobIdentities, preKeys, signedPreKeys, kyberPreKeys, BobAddress, AliceAddress);
        SignalMessage? genuine = null;
        SessionRecord? oneState = null;
        for (int i = 0; i <= SessionRecord.MaxArchivedStates; i++)
        {
            var aliceSessions = new InMemorySessionStore();
            var aliceIdentities = new InMemoryIdentityKeyStore(aliceIdentity, 1);
            Run(new SessionBuilder(aliceSessions, aliceIdentities, BobAddress).ProcessPreKeyBundleAsync(bundle));
            var alice = new SessionCipher(aliceSessions, aliceIdentities, preKeys, signedPreKeys, kyberPreKeys, AliceAddress, BobAddress);
            Run(bob.DecryptAsync((PreKeySignalMessage)Run(alice.EncryptAsync(new byte[16]))));
            Run(alice.DecryptAsync((SignalMessage)Run(bob.EncryptAsync(new byte[16]))));
            genuine = (SignalMessage)Run(alice.EncryptAsync(new byte[16]));
            oneState ??= Run(bobSessions.LoadSessionAsync(AliceAddress));
        }

        var full = Run(bobSessions.LoadSessionAsync(AliceAddress))!;
        _bobOneState = new SessionCipher(new FrozenSessionStore(oneState!), bobIdentities, preKeys, signedPreKeys, kyberPreKeys, BobAddress, AliceAddress);
        _bobFullRecord = new SessionCipher(new FrozenSessionStore(full), bobIdentities, preKeys, signedPreKeys, kyberPreKeys, BobAddress, AliceAddress);
        _farAhead = Forge(genuine!, aliceIdentity, bobIdentity, counter: 24_999, spqrIndexAhead: 24_990, bodyLength: 16);
        _large = Forge(genuine!, aliceIdentity, bobIdentity, counter: genuine!.Counter + 1, spqrIndexAhead: 1, bodyLength: 10 << 20).Serialize();
        _nearLimit = Forge(genuine!, aliceIdentity, bobIdentity, counter: genuine!.Counter + 1, spqrIndexAhead: 1, bodyLength: (1 << 20) - 256);
    }

    [Benchmark]
    public int FarAheadOneState() => Refuse(_bobOneState, _farAhead);

    [Benchmark]
    public int FarAhead41States() => Refuse(_bobFullRecord, _farAhead);

    [Benchmark]
    public int Large10MiB41States()
    {
        try
        {
            return Refuse(_bobFullRecord, SignalMessage.Deserialize(_large));
        }
        catch (InvalidMessageException)
        {
            return 2;
        }
    }

    [Benchmark]
    public int NearOneMiB41States() => Refuse(_bobFullRecord, _nearLimit);

    /// <summary>
    /// A SignalMessage as an attacker without keys makes it: a fresh ratchet key, the chosen counter, the
    /// genuine message's SPQR payload with its index moved ahead, a random MAC key.
    /// </summary>
    internal static SignalMessage Forge(SignalMessage genuine, IdentityKeyPair sender, IdentityKeyPair receiver, uint counter, uint spqrIndexAhead, int bodyLength)
    {
        var spqr = SpqrMessage.Parse(genuine.PqRatchet);
        var moved = new SpqrMessage(spqr.Epoch, spqr.Index + spqrIndexAhead, spqr.Type, spqr.Chunk).Serialize();
        using var ratchet = EcKeyPair.Generate();
        return SignalMessage.Create(
            genuine.MessageVersion,
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
            ratchet.PublicKey,
            counter,
            0,
            new byte[bodyLength],
            sender.IdentityKey,
            receiver.IdentityKey,
            moved,
            null);
    }

    private static int Refuse(SessionCipher cipher, SignalMessage message)
    {
        try
        {
            Run(cipher.DecryptAsync(message));
        }
        catch (InvalidMessageException)
        {
            return 1;
        }

        throw new InvalidOperationException("the forged message decrypted");
    }

    private static T Run<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private static void Run(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed class InProcessMonitoring : ManualConfig
    {
        public InProcessMonitoring()
        {
            AddJob(Job.Default
                .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3));
        }
    }

    /// <summary>Always returns a copy of the same record and discards writes.</summary>
    private sealed class FrozenSessionStore(SessionRecord record) : ISessionStore
    {
        public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => ValueTask.FromResult<SessionRecord?>(record.Clone());

        public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<int>>([1]);
    }
}
