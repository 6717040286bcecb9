using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.TestSupport.Interop;
using Xunit;
using static SignalSharp.TestSupport.Interop.PairingHarness;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// A SignalSharp client on a SQLite store (interop driver <c>"store": "sqlite:&lt;path&gt;"</c>) talking to libsignal
/// 0.103 in a separate process: 1:1 both ways, sender keys, and a failed request that must change no stored state.
/// </summary>
[Trait("Category", "Interop")]
public sealed class SqliteInteropTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void SqliteClientTalksToLibsignalAndAFailedDecryptChangesNothing()
    {
        using var h = Start(DriverKind.SignalSharp, DriverKind.Libsignal);
        var alice = CreateSqlitePeer(h.Left, "alice.1");
        var bob = h.CreateRight();

        // libsignal initiates to the SQLite client (its pre-keys come out of the database), then the other way.
        h.Establish(bob, alice);
        for (int i = 0; i < 20; i++)
        {
            h.RoundTrip(alice, bob, $"alice {i}");
            h.RoundTrip(bob, alice, $"bob {i}");
        }

        // A tampered message fails; the driver restores the SQLite rows, and the untampered one still decrypts.
        var message = bob.EncryptFor(alice, Encoding.UTF8.GetBytes("after a forgery"));
        var forged = new DriverCiphertext(message.Type, Tamper(message.Body, -3));
        var error = Assert.Throws<DriverError>(() => alice.DecryptFrom(bob, forged));
        Assert.Equal("InvalidMessage", error.Kind);
        Deliver(bob, alice, message, "after a forgery");
        h.RoundTrip(alice, bob, "still in step");

        // Sender keys live in the same database.
        var group = Guid.NewGuid();
        h.Right.ProcessSenderKeyDistribution(bob.Handle, alice.Address, h.Left.SenderKeyDistribution(alice.Handle, group));
        byte[] body = h.Left.GroupEncrypt(alice.Handle, group, Encoding.UTF8.GetBytes("to the group"));
        Assert.Equal("to the group", Encoding.UTF8.GetString(h.Right.GroupDecrypt(bob.Handle, alice.Address, body)));

        h.Left.Quit();
        byte[] raw = TempDatabase.RawBytes(_db.Path);
        Assert.True(raw.Length > 4096, "the driver wrote the database");
        Assert.True(raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(alice.Address.Name)) < 0, "the raw database contains the user name");
    }

    [Fact]
    public void StoreArgumentIsValidated()
    {
        using var driver = InteropDriver.Start(DriverKind.SignalSharp);
        File.WriteAllText(_db.Sibling("exists.db"), "x");
        foreach (string store in new[] { "sqlite:", "postgres:x", "sqlite:" + _db.Sibling("exists.db") })
        {
            var error = Assert.Throws<DriverError>(() => driver.Invoke("create", new JsonObject { ["client"] = "a.1", ["name"] = "a", ["device"] = 1, ["store"] = store }));
            Assert.Equal("BadRequest", error.Kind);
        }

        driver.Invoke("create", new JsonObject { ["client"] = "a.1", ["name"] = "a", ["device"] = 1, ["store"] = "memory" });
    }

    private InteropPeer CreateSqlitePeer(InteropDriver driver, string handle)
    {
        var address = new DriverAddress(NewUserName(), 1);
        driver.Invoke("create", new JsonObject { ["client"] = handle, ["name"] = address.Name, ["device"] = address.Device, ["store"] = "sqlite:" + _db.Path });
        return Attach(driver, handle, address);
    }
}
