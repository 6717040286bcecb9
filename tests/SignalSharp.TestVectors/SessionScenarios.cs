using System.Text.Json.Nodes;

namespace SignalSharp.TestVectors;

/// <summary>The scripted 1:1 conversations.</summary>
internal static class SessionScenarios
{
    /// <summary>
    /// Alice and Bob take turns, one message each, until both have moved to SPQR braid epoch 2 (one full
    /// epoch: header, encapsulation key and both ciphertexts chunked across the messages, the epoch secret
    /// derived on both sides), then one more round trip keyed from the new epoch.
    /// </summary>
    public static Task<JsonObject> PingPongAcrossSpqrEpochAsync() => SessionConversation.RecordAsync(
        "session-ping-pong-spqr-epoch",
        "Alice starts a session from Bob's bundle (with a one-time pre-key) and the two alternate one message each until both have completed a full SPQR braid epoch (epoch 1: header, encapsulation key and ciphertexts sent in 32-byte chunks, one per message), then exchange one more round trip keyed from the new epoch.",
        withOneTimePreKey: true,
        async c =>
        {
            int turn = 0;
            while (await c.SpqrEpochAsync(c.Alice) < 2 || await c.SpqrEpochAsync(c.Bob) < 2)
            {
                if (turn == 500)
                {
                    throw new InvalidOperationException("SPQR epoch 1 did not complete");
                }

                await RoundTripAsync(c, turn++);
            }

            await RoundTripAsync(c, turn);
        });

    private static async Task RoundTripAsync(SessionConversation c, int turn)
    {
        await c.DeliverAsync(await c.SendAsync(c.Alice, $"ping {turn}"));
        await c.DeliverAsync(await c.SendAsync(c.Bob, $"pong {turn}"));
    }

    /// <summary>Six messages from Alice in her first chain, delivered to Bob as 4, 1, 6, 2, 5, 3.</summary>
    public static Task<JsonObject> OutOfOrderAsync() => SessionConversation.RecordAsync(
        "session-out-of-order",
        "Alice sends six messages before Bob answers (all PreKeySignalMessages of one chain); Bob receives them in the order m4, m1, m6, m2, m5, m3, keeping the keys of the skipped ones until they arrive.",
        withOneTimePreKey: true,
        async c =>
        {
            var ids = new List<string>();
            for (int i = 1; i <= 6; i++)
            {
                ids.Add(await c.SendAsync(c.Alice, $"message {i} of 6"));
            }

            foreach (int i in new[] { 4, 1, 6, 2, 5, 3 })
            {
                await c.DeliverAsync(ids[i - 1]);
            }
        });

    /// <summary>
    /// Messages delayed across DH ratchet steps: Bob gets a message of Alice's second chain before the rest of
    /// her first chain, and a later message of a chain before an earlier one.
    /// </summary>
    public static Task<JsonObject> OutOfOrderAcrossChainsAsync() => SessionConversation.RecordAsync(
        "session-out-of-order-across-chains",
        "Alice sends m1, m2, m3 in her first chain; Bob receives only m1 and answers (m4); Alice receives m4 and sends m5, m6 in her second chain. Bob then receives m6 (a new ratchet key, with m5 skipped), m3 and m2 (left behind in the old chain) and m5, and answers once more (m7), which Alice receives.",
        withOneTimePreKey: true,
        async c =>
        {
            var m1 = await c.SendAsync(c.Alice, "chain 1, message 1");
            var m2 = await c.SendAsync(c.Alice, "chain 1, message 2");
            var m3 = await c.SendAsync(c.Alice, "chain 1, message 3");
            await c.DeliverAsync(m1);
            await c.DeliverAsync(await c.SendAsync(c.Bob, "reply 1"));
            var m5 = await c.SendAsync(c.Alice, "chain 2, message 1");
            var m6 = await c.SendAsync(c.Alice, "chain 2, message 2");
            await c.DeliverAsync(m6);
            await c.DeliverAsync(m3);
            await c.DeliverAsync(m2);
            await c.DeliverAsync(m5);
            await c.DeliverAsync(await c.SendAsync(c.Bob, "reply 2"));
        });

    /// <summary>A bundle without a one-time pre-key: PQXDH with three DH outputs.</summary>
    public static Task<JsonObject> WithoutOneTimePreKeyAsync() => SessionConversation.RecordAsync(
        "session-without-one-time-pre-key",
        "Bob's bundle has no one-time pre-key, so PQXDH concatenates three DH outputs (no DH4) before the Kyber shared secret; Alice sends three messages, Bob decrypts them in order.",
        withOneTimePreKey: false,
        async c =>
        {
            for (int i = 1; i <= 3; i++)
            {
                await c.DeliverAsync(await c.SendAsync(c.Alice, $"no one-time pre-key, message {i}"));
            }
        });
}
