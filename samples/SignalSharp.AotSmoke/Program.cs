// A small app over the three packages: Alice and Bob keep their state in encrypted SQLite stores, set up a
// PQXDH session from Bob's pre-key bundle, exchange a 1:1 message both ways, then Alice sends a sender-key
// group message. Prints one line per step; exit code 0 when every plaintext arrived intact, 1 when one did
// not, 3 when the platform lacks the native crypto library.
using System.Security.Cryptography;
using System.Text;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Storage;

string folder = Path.Combine(Path.GetTempPath(), "signalsharp-smoke-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    return await RunAsync(folder);
}
catch (NativeCryptoUnavailableException e)
{
    Console.WriteLine($"native crypto unavailable on {e.RuntimeIdentifier}: {e.Message}");
    return 3;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static async Task<int> RunAsync(string folder)
{
    var aliceAddress = new ProtocolAddress("alice", 1);
    var bobAddress = new ProtocolAddress("bob", 1);
    byte[] storageKey = RandomNumberGenerator.GetBytes(SqliteSignalProtocolStore.StorageKeySize);

    using var aliceIdentity = KeyHelper.GenerateIdentityKeyPair();
    using var bobIdentity = KeyHelper.GenerateIdentityKeyPair();
    using var alice = SqliteSignalProtocolStore.Create(Path.Combine(folder, "alice.db"), storageKey, aliceIdentity, KeyHelper.GenerateRegistrationId());
    using var bob = SqliteSignalProtocolStore.Create(Path.Combine(folder, "bob.db"), storageKey, bobIdentity, KeyHelper.GenerateRegistrationId());

    // Bob publishes a bundle; the private halves stay in his store.
    ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    using var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, now);
    using var kyber = KeyHelper.GenerateLastResortKyberPreKey(bobIdentity, 1, now);
    await bob.StoreSignedPreKeyAsync(1, signed);
    await bob.StoreKyberPreKeyAsync(1, kyber);
    var bundle = new PreKeyBundle(await bob.GetLocalRegistrationIdAsync(), 1, null, null,
        1, signed.PublicKey, signed.Signature, bobIdentity.IdentityKey, 1, kyber.PublicKey, kyber.Signature);

    // 1:1: Alice starts from the bundle, Bob answers.
    await new SessionBuilder(alice, bobAddress).ProcessPreKeyBundleAsync(bundle);
    var aliceToBob = new SessionCipher(alice, aliceAddress, bobAddress);
    var bobToAlice = new SessionCipher(bob, bobAddress, aliceAddress);
    CiphertextMessage first = await aliceToBob.EncryptAsync(Encoding.UTF8.GetBytes("hello bob"));
    string read1 = Encoding.UTF8.GetString(await bobToAlice.DecryptAsync(PreKeySignalMessage.Deserialize(first.Serialize())));
    Console.WriteLine($"session: bob read \"{read1}\"");
    CiphertextMessage reply = await bobToAlice.EncryptAsync(Encoding.UTF8.GetBytes("hello alice"));
    string read2 = Encoding.UTF8.GetString(await aliceToBob.DecryptAsync(SignalMessage.Deserialize(reply.Serialize())));
    Console.WriteLine($"session: alice read \"{read2}\"");

    // Group: Alice's sender key reaches Bob over the session, then one encryption serves the group.
    var distributionId = Guid.NewGuid();
    var aliceGroup = new GroupCipher(alice);
    var bobGroup = new GroupCipher(bob);
    SenderKeyDistributionMessage skdm = await aliceGroup.CreateDistributionMessageAsync(aliceAddress, distributionId);
    CiphertextMessage carried = await aliceToBob.EncryptAsync(skdm.Serialize());
    await bobGroup.ProcessDistributionMessageAsync(aliceAddress, await bobToAlice.DecryptAsync(SignalMessage.Deserialize(carried.Serialize())));
    SenderKeyMessage groupMessage = await aliceGroup.EncryptAsync(aliceAddress, distributionId, Encoding.UTF8.GetBytes("hello group"));
    string read3 = Encoding.UTF8.GetString(await bobGroup.DecryptAsync(aliceAddress, groupMessage.Serialize()));
    Console.WriteLine($"group: bob read \"{read3}\"");

    bool ok = read1 == "hello bob" && read2 == "hello alice" && read3 == "hello group";
    Console.WriteLine(ok ? "smoke: ok" : "smoke: FAILED");
    return ok ? 0 : 1;
}
