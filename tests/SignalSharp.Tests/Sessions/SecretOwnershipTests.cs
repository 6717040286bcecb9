using System.Reflection;
using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// Session secrets die (issue 10, point 4): the tests hold the very arrays a record, a state or a store uses and show
/// they are all-zero once their owner dropped or replaced them, while everything still in use stays intact and keeps
/// working (docs/security.md, "Secret ownership").
/// </summary>
public class SecretOwnershipTests
{
    [Fact]
    public async Task DisposingAParsedRecordWipesEveryKeyItHoldsAndLaterUseThrows()
    {
        var (alice, bob) = await ConversationAsync();
        var bytes = await SerializedAsync(bob, alice);
        var original = (byte[])bytes.Clone();
        var record = SessionRecord.Deserialize(bytes);
        Assert.Equal(original, bytes); // the parse wipes its own copies, never the caller's bytes
        var secrets = SecretsOf(record);
        Assert.True(secrets.Count >= 8, $"{secrets.Count} secret arrays");
        Assert.All(secrets, s => Assert.False(IsZero(s)));

        record.Dispose();
        record.Dispose();

        Assert.All(secrets, s => Assert.True(IsZero(s)));
        Assert.Throws<ObjectDisposedException>(() => record.Serialize());
        Assert.Throws<ObjectDisposedException>(() => record.ArchiveCurrentState());
    }

    [Fact]
    public async Task ReplacedChainAndRootKeysAreWipedOnceTheStoreReplacesTheRecord()
    {
        var (alice, bob) = await ConversationAsync();
        byte[] sendingChainKey, rootKey, ratchetPrivateKey;
        using (var before = (await alice.Store.LoadSessionAsync(bob.Address))!)
        {
            sendingChainKey = before.Current!.SenderChain.ChainKey;
            rootKey = before.Current.RootKey;
            ratchetPrivateKey = before.Current.SenderChain.RatchetPrivateKey!;
        }

        // A loaded copy that changed nothing wipes nothing the store keeps.
        Assert.False(IsZero(sendingChainKey));

        var message = await alice.EncryptAsync(bob, "one step along the chain");
        Assert.True(IsZero(sendingChainKey));
        Assert.False(IsZero(rootKey));
        Assert.Equal("one step along the chain", await bob.DecryptAsync(alice, message));

        // A DH ratchet step replaces the root key and the sending ratchet key pair.
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "new ratchet key"));
        Assert.True(IsZero(rootKey));
        Assert.True(IsZero(ratchetPrivateKey));
        Assert.Equal("still fine", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "still fine")));
    }

    [Fact]
    public async Task SkippedKeysAreWipedOnceConsumed()
    {
        var (alice, bob) = await ConversationAsync();
        var late = await alice.EncryptAsync(bob, "late");
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "early"));

        byte[] seed;
        byte[][] spqrKeys;
        using (var record = (await bob.Store.LoadSessionAsync(alice.Address))!)
        {
            seed = Assert.Single(record.Current!.ReceiverChains.SelectMany(c => c.SkippedSeeds)).Seed;
            spqrKeys = [.. record.Current.Spqr.Chain.Epochs.SelectMany(e => e.Receive.Skipped.Values)];
        }

        Assert.NotEmpty(spqrKeys);
        Assert.False(IsZero(seed));

        Assert.Equal("late", await bob.DecryptAsync(alice, late));
        Assert.True(IsZero(seed));
        Assert.All(spqrKeys, k => Assert.True(IsZero(k)));
    }

    [Fact]
    public async Task AFailedDecryptWipesWhatItsWorkingCopyCreatedAndLeavesTheStoredSessionIntact()
    {
        var (alice, bob) = await ConversationAsync();

        // Alice answers after a reply, so her next message carries a new ratchet key: Bob's working copy takes a DH
        // step (new root key, chains and ratchet key pair) before the MAC fails.
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "reply"));
        var genuine = await alice.EncryptAsync(bob, "genuine");
        var tampered = genuine.Serialize();
        tampered[^1] ^= 1;

        HashSet<byte[]> stored;
        using (var record = (await bob.Store.LoadSessionAsync(alice.Address))!)
        {
            stored = new HashSet<byte[]>(SecretsOf(record), ReferenceEqualityComparer.Instance);
        }

        var dropped = new List<byte[]>();
        SessionState.DroppedWorkingCopyObserver.Value = working =>
        {
            var bin = default(SecretBin);
            working.VisitSecrets(ref bin);
            for (int i = 0; i < bin.Count; i++)
            {
                dropped.Add(bin[i]);
            }

            for (int i = 0; i < working.Retired.Count; i++)
            {
                dropped.Add(working.Retired[i]);
            }

            bin.Release();
        };
        try
        {
            await Assert.ThrowsAnyAsync<InvalidMessageException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, tampered));
        }
        finally
        {
            SessionState.DroppedWorkingCopyObserver.Value = null;
        }

        var created = dropped.Where(a => !stored.Contains(a)).ToList();
        Assert.True(created.Count >= 4, $"the working copy created {created.Count} secret arrays");
        Assert.All(created, a => Assert.True(IsZero(a)));
        Assert.All(stored, a => Assert.False(IsZero(a)));
        Assert.Equal("genuine", await bob.DecryptAsync(alice, genuine));
    }

    [Fact]
    public async Task TheCipherWipesTheRecordsItLoadsFromADeserializingStore()
    {
        var (alice, bob) = await ConversationAsync();
        var sessions = new DeserializingSessionStore();
        await sessions.StoreSessionAsync(bob.Address, SessionRecord.Deserialize(await SerializedAsync(alice, bob)));
        var cipher = new SessionCipher(sessions, alice.Store, alice.Store, alice.Store, alice.Store, alice.Address, bob.Address, alice.Clock);

        var message = await cipher.EncryptAsync("from a durable store"u8.ToArray());

        var loaded = Assert.Single(sessions.Loaded);
        Assert.True(loaded.Record.IsDisposed);
        Assert.True(loaded.Secrets.Count >= 8, $"{loaded.Secrets.Count} secret arrays");
        Assert.All(loaded.Secrets, s => Assert.True(IsZero(s)));
        Assert.Equal("from a durable store", await bob.DecryptAsync(alice, message));
    }

    [Fact]
    public async Task ArchivedSessionsBeyondTheCapAreWiped()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
        byte[] oldestRoot;
        using (var record = (await alice.Store.LoadSessionAsync(bob.Address))!)
        {
            oldestRoot = record.Current!.RootKey;
        }

        for (int i = 0; i < SessionRecord.MaxArchivedStates; i++)
        {
            await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
        }

        Assert.False(IsZero(oldestRoot));
        await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
        Assert.True(IsZero(oldestRoot));
    }

    [Fact]
    public async Task StoresWipeWhatTheyDeleteAndEverythingWhenDisposed()
    {
        var (alice, bob) = await ConversationAsync();
        var rootKey = await RootKeyAsync(alice.Store, bob.Address);
        await alice.Store.DeleteSessionAsync(bob.Address);
        Assert.True(IsZero(rootKey));

        var bobRoot = await RootKeyAsync(bob.Store, alice.Address);
        var identity = (byte[])Field(Field(bob.Store, "_identities"), "_identity");
        var signedPreKeys = SerializedRecords(Field(bob.Store, "_signedPreKeys"));
        Assert.NotEmpty(signedPreKeys);

        bob.Store.Dispose();
        bob.Store.Dispose();

        Assert.True(IsZero(bobRoot));
        Assert.True(IsZero(identity));
        Assert.All(signedPreKeys, r => Assert.True(IsZero(r)));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await bob.Store.GetIdentityKeyPairAsync());
        Assert.Null(await bob.Store.LoadSessionAsync(alice.Address));
    }

    private static async Task<(TestParty Alice, TestParty Bob)> ConversationAsync()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "hi"));
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "how are you"));
        return (alice, bob);
    }

    private static async Task<byte[]> SerializedAsync(TestParty owner, TestParty remote)
    {
        using var record = (await owner.Store.LoadSessionAsync(remote.Address))!;
        return record.Serialize();
    }

    private static async Task<byte[]> RootKeyAsync(ISessionStore store, ProtocolAddress address)
    {
        using var record = (await store.LoadSessionAsync(address))!;
        return record.Current!.RootKey;
    }

    private static List<byte[]> SecretsOf(SessionRecord record)
    {
        var bin = default(SecretBin);
        record.Current?.VisitSecrets(ref bin);
        foreach (var state in record.Archived)
        {
            state.VisitSecrets(ref bin);
        }

        var list = new List<byte[]>();
        for (int i = 0; i < bin.Count; i++)
        {
            list.Add(bin[i]);
        }

        bin.Release();
        return list;
    }

    private static bool IsZero(byte[] bytes) => bytes.All(b => b == 0);

    private static object Field(object owner, string name)
        => owner.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(owner)!;

    private static List<byte[]> SerializedRecords(object preKeyStore)
        => [.. ((Dictionary<uint, byte[]>)Field(Field(preKeyStore, "_records"), "_records")).Values];

    /// <summary>A session store that keeps bytes and parses a fresh record per load, as a durable store does.</summary>
    private sealed class DeserializingSessionStore : ISessionStore
    {
        private readonly Dictionary<ProtocolAddress, byte[]> _records = [];

        public List<(SessionRecord Record, List<byte[]> Secrets)> Loaded { get; } = [];

        public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        {
            if (!_records.TryGetValue(address, out var bytes))
            {
                return ValueTask.FromResult<SessionRecord?>(null);
            }

            var record = SessionRecord.Deserialize(bytes);
            Loaded.Add((record, SecretsOf(record)));
            return ValueTask.FromResult<SessionRecord?>(record);
        }

        public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
        {
            _records[address] = record.Serialize();
            return ValueTask.CompletedTask;
        }

        public ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        {
            _records.Remove(address);
            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<int>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default)
            => ValueTask.FromResult<IReadOnlyList<int>>([.. _records.Keys.Where(a => a.Name == name).Select(a => a.DeviceId)]);
    }
}
