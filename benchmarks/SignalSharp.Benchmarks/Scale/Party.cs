using SignalSharp;
using SignalSharp.Benchmarks.Compare;
using SignalSharp.Storage;

namespace SignalSharp.Benchmarks.Scale;

/// <summary>Where a scale workload keeps its state: the in-memory store, or SQLite at one durability.</summary>
internal enum StoreKind
{
    InMemory,
    SqliteNormal,
    SqliteFull,
}

/// <summary>Alice and Bob with an answered session on stores of one <see cref="StoreKind"/> (SQLite: one file each).</summary>
internal sealed class Party : IDisposable
{
    public static readonly ProtocolAddress AliceAddress = new("alice", 1);
    public static readonly ProtocolAddress BobAddress = new("bob", 1);

    private readonly List<IDisposable> _owned = [];

    public Party(StoreKind kind, string directory)
    {
        Kind = kind;
        var aliceIdentity = IdentityKeyPair.Generate();
        var bobIdentity = IdentityKeyPair.Generate();
        AliceStore = NewStore(kind, directory, "alice", aliceIdentity, 1);
        BobStore = NewStore(kind, directory, "bob", bobIdentity, 2);
        using var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, 0);
        Sync.Run(BobStore.StoreSignedPreKeyAsync(1, signed));
        Sync.Run(BobStore.StoreKyberPreKeyAsync(1, kyber));
        var bundle = new PreKeyBundle(2, 1, null, null, 1, signed.PublicKey, signed.Signature, bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);
        Sync.Run(new SessionBuilder(AliceStore, BobAddress).ProcessPreKeyBundleAsync(bundle));
        Alice = new SessionCipher(AliceStore, AliceAddress, BobAddress);
        Bob = new SessionCipher(BobStore, BobAddress, AliceAddress);
        var p = new byte[64];
        Sync.Run(Bob.DecryptAsync((PreKeySignalMessage)Sync.Run(Alice.EncryptAsync(p))));
        Sync.Run(Alice.DecryptAsync((SignalMessage)Sync.Run(Bob.EncryptAsync(p))));
        Sync.Run(Bob.DecryptAsync((SignalMessage)Sync.Run(Alice.EncryptAsync(p))));
        BobIdentity = bobIdentity.IdentityKey;
        AliceIdentity = aliceIdentity;
    }

    public StoreKind Kind { get; }

    public ISignalProtocolStore AliceStore { get; }

    public ISignalProtocolStore BobStore { get; }

    public SessionCipher Alice { get; }

    public SessionCipher Bob { get; }

    public IdentityKey BobIdentity { get; }

    public IdentityKeyPair AliceIdentity { get; }

    /// <summary>Commits on both parties' connections (SQLite only).</summary>
    public CommitCounter Commits { get; } = new();

    public bool Counting { get; private set; }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private ISignalProtocolStore NewStore(StoreKind kind, string directory, string name, IdentityKeyPair identity, uint registrationId)
    {
        if (kind == StoreKind.InMemory)
        {
            return new InMemorySignalProtocolStore(identity, registrationId);
        }

        string path = Path.Combine(directory, $"{kind}-{name}-{Guid.NewGuid():N}.db");
        var store = SqliteSignalProtocolStore.Create(path, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), identity, registrationId, kind == StoreKind.SqliteFull ? SqliteDurability.Full : SqliteDurability.Normal);
        _owned.Add(store);
        Counting = Commits.Attach(store);
        return store;
    }
}
