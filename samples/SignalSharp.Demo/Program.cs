// Alice and Bob set up a post-quantum Signal session (PQXDH + Double Ratchet + SPQR) through a toy
// server that only ever sees routing metadata and ciphertext.
using SignalSharp;
using SignalSharp.Demo;

var alice = new Device("alice", 1);
var bob = new Device("bob", 1);

// Bob publishes his pre-key bundle; the server's directory would hold it.
var bobBundle = await bob.PublishBundleAsync();
Console.WriteLine("server: stored Bob's pre-key bundle (identity key, signed pre-key, Kyber1024 pre-key, one-time pre-key)");

// Alice fetches it and starts a session: no round trip with Bob needed.
await alice.StartSessionAsync(bob.Address, bobBundle);
Console.WriteLine("alice:  session with bob.1 established from his bundle");
Console.WriteLine();

var conversation = new (Device From, Device To, string Text)[]
{
    (alice, bob, "Hi Bob! This message is end-to-end encrypted."),
    (alice, bob, "Until you answer, my messages carry the pre-key handshake."),
    (bob, alice, "Hi Alice, got both. Every reply turns the ratchet."),
    (alice, bob, "And a post-quantum ratchet (SPQR) salts every message key."),
    (bob, alice, "The server only sees sizes, types and who talks to whom."),
};

foreach (var (from, to, text) in conversation)
{
    Envelope envelope = await from.SendAsync(to.Address, text);
    string kind = envelope.Type == SignalSharp.Wire.CiphertextMessageType.PreKey ? "PreKeySignalMessage" : "SignalMessage";
    Console.WriteLine($"server: {envelope.From} -> {envelope.To}: {kind} (type {(int)envelope.Type}), {envelope.Body.Length} bytes, starts {Convert.ToHexString(envelope.Body, 0, 8)}...");
    string read = await to.ReceiveAsync(envelope);
    Console.WriteLine($"{to.Address.Name,-6}  reads: \"{read}\"");
}

// A tampered message is refused and changes nothing.
Envelope last = await alice.SendAsync(bob.Address, "One more.");
byte[] tampered = (byte[])last.Body.Clone();
tampered[^1] ^= 0x01;
try
{
    await bob.ReceiveAsync(last with { Body = tampered });
}
catch (InvalidMessageException e)
{
    Console.WriteLine();
    Console.WriteLine($"bob:    refused a tampered copy ({e.GetType().Name}: {e.Message})");
}

Console.WriteLine($"bob     reads: \"{await bob.ReceiveAsync(last)}\" (the genuine one still decrypts)");
