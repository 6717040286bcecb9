using FsCheck.Xunit;
using SignalSharp;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// Model test: random schedules of sends, drops, duplicates and reordered deliveries between two parties.
/// A small model of the Double Ratchet's limits (facts §4.6: a receiver keeps its last five receiving
/// chains; a ratchet key it has not seen is only usable if it is the peer's next one) predicts which
/// deliveries can succeed. Every such delivery must decrypt exactly once to its plaintext; repeats are
/// duplicates; deliveries outside the limits fail with InvalidMessage and change nothing.
/// </summary>
public class SessionModelProperties
{
    [Property(MaxTest = 20, EndSize = 90)]
    public bool EveryDeliverableMessageDecryptsExactlyOnce(byte[] schedule) => RunAsync(schedule).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(byte[] schedule)
    {
        var alice = new Side(new TestParty("alice"), firstChainIsSignedPreKey: false);
        var bob = new Side(new TestParty("bob"), firstChainIsSignedPreKey: true);
        alice.SeedBobsSignedPreKeyChain();
        await alice.Party.StartSessionWithAsync(bob.Party);
        int sent = 0;

        foreach (byte step in schedule)
        {
            int op = step % 5;
            int pick = step / 5;
            switch (op)
            {
                case 0:
                    await SendAsync(alice, bob, ++sent);
                    break;
                case 1:
                    if (bob.Seen.Count > 0)
                    {
                        await SendAsync(bob, alice, ++sent);
                    }

                    break;
                case 2:
                    await DeliverAsync(alice, bob, pick);
                    break;
                case 3:
                    await DeliverAsync(bob, alice, pick);
                    break;
                default:
                    await RedeliverAsync(pick % 2 == 0 ? alice : bob, pick % 2 == 0 ? bob : alice, pick / 2);
                    break;
            }
        }

        return true;
    }

    private static async Task SendAsync(Side from, Side to, int n)
    {
        string text = $"{from.Party.Address.Name} {n}";
        var message = await from.Party.EncryptAsync(to.Party, text);
        var inner = message is PreKeySignalMessage p ? p.Message : (SignalMessage)message;
        string key = Convert.ToHexString(inner.RatchetKey.Serialize());
        int chain = from.OwnKeys.IndexOf(key);
        if (chain < 0)
        {
            from.OwnKeys.Add(key);
            chain = from.OwnKeys.Count - 1;
        }

        from.InFlight.Add(new Sent(text, message, chain));
    }

    private static async Task DeliverAsync(Side from, Side to, int pick)
    {
        if (from.InFlight.Count == 0)
        {
            return;
        }

        var m = from.InFlight[pick % from.InFlight.Count];
        from.InFlight.Remove(m);
        if (to.CanUseNew(m.Chain))
        {
            Assert.Equal(m.Text, await to.Party.DecryptAsync(from.Party, m.Message));
            to.Seen.Add(m.Chain);
            to.Max = Math.Max(to.Max, m.Chain);
            from.Delivered.Add(m);
        }
        else
        {
            var before = await to.Party.SnapshotAsync(from.Party);
            await Assert.ThrowsAnyAsync<InvalidMessageException>(() => to.Party.DecryptAsync(from.Party, m.Message));
            Assert.Equal(before, await to.Party.SnapshotAsync(from.Party));
        }
    }

    private static async Task RedeliverAsync(Side from, Side to, int pick)
    {
        if (from.Delivered.Count == 0)
        {
            return;
        }

        var m = from.Delivered[pick % from.Delivered.Count];
        var before = await to.Party.SnapshotAsync(from.Party);
        if (to.StillHasChain(m.Chain))
        {
            await Assert.ThrowsAsync<DuplicateMessageException>(() => to.Party.DecryptAsync(from.Party, m.Message));
        }
        else
        {
            await Assert.ThrowsAnyAsync<InvalidMessageException>(() => to.Party.DecryptAsync(from.Party, m.Message));
        }

        Assert.Equal(before, await to.Party.SnapshotAsync(from.Party));
    }

    private sealed record Sent(string Text, CiphertextMessage Message, int Chain);

    private sealed class Side
    {
        public Side(TestParty party, bool firstChainIsSignedPreKey)
        {
            Party = party;
            if (firstChainIsSignedPreKey)
            {
                // Bob's chain 0 is his signed pre-key: Alice's session starts with it as a receiving chain,
                // and it never appears on the wire.
                OwnKeys.Add("signed pre-key");
            }
        }

        public TestParty Party { get; }

        /// <summary>This side's sending ratchet keys in order of use: a message's chain number is its index.</summary>
        public List<string> OwnKeys { get; } = [];

        public List<Sent> InFlight { get; } = [];

        public List<Sent> Delivered { get; } = [];

        /// <summary>Chain numbers of the peer this side has decrypted from (Alice starts with Bob's chain 0).</summary>
        public HashSet<int> Seen { get; } = [];

        public int Max { get; set; } = -1;

        /// <summary>A known chain among the last five, or the peer's next chain.</summary>
        public bool CanUseNew(int chain) => chain == Max + 1 || StillHasChain(chain);

        public bool StillHasChain(int chain) => Seen.Contains(chain) && chain >= Max - 4;

        public void SeedBobsSignedPreKeyChain()
        {
            Seen.Add(0);
            Max = 0;
        }
    }
}
