using System.Collections.Concurrent;
using System.Globalization;
using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// Concurrent encrypt/decrypt calls for one address are serialized by the library (per-address async lock);
/// different addresses proceed in parallel. Thousands of interleaved operations: every message decrypts
/// exactly once to its plaintext.
/// </summary>
public class ConcurrencyTests
{
    [Fact]
    public async Task ThousandsOfInterleavedOperationsDecryptEveryMessageExactlyOnce()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var carol = new TestParty("carol");
        await alice.StartSessionWithAsync(bob);
        await alice.StartSessionWithAsync(carol);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello bob"));
        await carol.DecryptAsync(alice, await alice.EncryptAsync(carol, "hello carol"));

        var decrypted = new ConcurrentDictionary<string, int>();
        var pairs = new[] { (alice, bob), (bob, alice), (alice, carol), (carol, alice) };
        const int rounds = 12;
        const int perDirection = 40;
        var inFlight = new List<(TestParty From, TestParty To, string Text, CiphertextMessage Message)>();

        for (int round = 0; round < rounds; round++)
        {
            // Encrypt the next batch (all directions at once) while the previous batch is being decrypted,
            // in shuffled order, by many concurrent tasks on fresh cipher objects.
            int r = round;
            var encrypts = pairs.SelectMany(p => Enumerable.Range(0, perDirection).Select(i => Task.Run(async () =>
            {
                string text = $"{p.Item1.Address.Name}->{p.Item2.Address.Name} #{r}.{i}";
                return (p.Item1, p.Item2, text, await p.Item1.EncryptAsync(p.Item2, text));
            }))).ToList();
            var toDeliver = inFlight.OrderBy(_ => Random.Shared.Next()).ToList();
            var decrypts = toDeliver.Skip(1).Select(m => Task.Run(async () =>
            {
                Assert.Equal(m.Text, await m.To.DecryptAsync(m.From, m.Message));
                decrypted.AddOrUpdate(m.Text, 1, (_, n) => n + 1);
            })).ToList();

            // One message delivered three times at once: exactly one delivery decrypts, the others are duplicates.
            if (toDeliver.Count > 0)
            {
                var twice = toDeliver[0];
                var racers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
                {
                    try
                    {
                        await twice.To.DecryptAsync(twice.From, twice.Message);
                        return true;
                    }
                    catch (DuplicateMessageException)
                    {
                        return false;
                    }
                })).ToList();
                var wins = await Task.WhenAll(racers);
                Assert.Single(wins, won => won);
                decrypted.AddOrUpdate(twice.Text, 1, (_, n) => n + 1);
            }

            await Task.WhenAll(decrypts);
            inFlight = [.. await Task.WhenAll(encrypts)];
        }

        foreach (var m in inFlight)
        {
            Assert.Equal(m.Text, await m.To.DecryptAsync(m.From, m.Message));
            decrypted.AddOrUpdate(m.Text, 1, (_, n) => n + 1);
        }

        Assert.Equal(rounds * perDirection * pairs.Length, decrypted.Count);
        Assert.All(decrypted.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task ConcurrentEncryptsToOneAddressUseDistinctCounters()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "x"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "y"));
        var messages = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => alice.EncryptAsync(bob, i.ToString(CultureInfo.InvariantCulture)))));
        var counters = messages.Select(m => ((SignalMessage)m).Counter).ToList();
        Assert.Equal(300, counters.Distinct().Count());
        var texts = await Task.WhenAll(messages.Select(m => Task.Run(() => bob.DecryptAsync(alice, m))));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(), texts.Order());
    }

    [Fact]
    public async Task TwoInitiatorsHandedTheSameOneTimePreKeyCannotBothUseIt()
    {
        // A server hands Bob's one bundle (one-time pre-key + last-resort Kyber key) to Alice and to Carol. Their
        // PreKey messages arrive together; Bob's pre-key store makes each load wait (up to a second) for the
        // other, so without the per-pre-key lock both would load the key before either removes it.
        var bob = new TestParty("bob");
        var alice = new TestParty("alice");
        var carol = new TestParty("carol");
        var bundle = await bob.PublishBundleAsync(withOneTimePreKey: true, lastResortKyber: true);
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        await carol.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var fromAlice = (PreKeySignalMessage)await alice.CipherFor(bob).EncryptAsync("a"u8.ToArray());
        var fromCarol = (PreKeySignalMessage)await carol.CipherFor(bob).EncryptAsync("c"u8.ToArray());

        var rendezvous = new RendezvousPreKeyStore(bob.Store, parties: 2, TimeSpan.FromSeconds(1));
        SessionCipher CipherFrom(TestParty sender) => new(bob.Store, bob.Store, rendezvous, bob.Store, bob.Store, bob.Address, sender.Address);
        var results = await Task.WhenAll(
            Task.Run(() => Outcome(CipherFrom(alice).DecryptAsync(fromAlice))),
            Task.Run(() => Outcome(CipherFrom(carol).DecryptAsync(fromCarol))));

        Assert.Single(results, r => r == "ok");
        Assert.Single(results, r => r == nameof(InvalidKeyIdException));
    }

    private static async Task<string> Outcome(ValueTask<byte[]> decrypt)
    {
        try
        {
            await decrypt;
            return "ok";
        }
        catch (SignalProtocolException e)
        {
            return e.GetType().Name;
        }
    }

    /// <summary>A pre-key store whose loads wait for each other (bounded), to make the load-then-remove window overlap.</summary>
    private sealed class RendezvousPreKeyStore(SignalSharp.IPreKeyStore inner, int parties, TimeSpan patience) : SignalSharp.IPreKeyStore
    {
        private readonly Barrier _barrier = new(parties);

        public async ValueTask<SignalSharp.PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
        {
            await Task.Run(() => _barrier.SignalAndWait(patience), cancellationToken);
            return await inner.LoadPreKeyAsync(preKeyId, cancellationToken);
        }

        public ValueTask StorePreKeyAsync(uint preKeyId, SignalSharp.PreKeyRecord record, CancellationToken cancellationToken = default)
            => inner.StorePreKeyAsync(preKeyId, record, cancellationToken);

        public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
            => inner.RemovePreKeyAsync(preKeyId, cancellationToken);
    }
}
