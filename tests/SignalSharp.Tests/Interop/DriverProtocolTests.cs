using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.TestSupport.Interop;
using Xunit;

namespace SignalSharp.Tests.Interop;

/// <summary>
/// Conformance of each driver to the protocol itself (docs/interop.md): error kinds for malformed requests,
/// unknown clients, "a failed request changes no state", and the shapes of results.
/// </summary>
[Trait("Category", "Interop")]
public sealed class DriverProtocolTests
{
    private static readonly DriverAddress Bob = new("bbbbbbbb-7000-11eb-b32a-33b8a8a487a6", 1);

    [Theory]
    [MemberData(nameof(InteropPairs.Kinds), MemberType = typeof(InteropPairs))]
    public void MalformedRequests_AreBadRequest_AndTheDriverKeepsServing(DriverKind kind)
    {
        using var driver = InteropDriver.Start(kind);
        driver.Create("a", new DriverAddress("aaaaaaaa-7000-11eb-b32a-33b8a8a487a6", 1));

        DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.Invoke("no_such_op", new JsonObject()));
        DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.Invoke("create", new JsonObject { ["client"] = "x", ["name"] = "x" }));
        DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.Invoke("create", new JsonObject { ["client"] = "x", ["name"] = "x", ["device"] = 0 }));
        DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.Invoke("create", new JsonObject { ["client"] = "x", ["name"] = "x", ["device"] = 128 }));
        DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.Invoke("encrypt", new JsonObject { ["client"] = "a", ["remote"] = Bob.ToJson(), ["plaintext"] = "not base64!" }));
        DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.Invoke("encrypt", new JsonObject { ["client"] = "a", ["plaintext"] = "AAAA" }));
        DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.Invoke("decrypt", new JsonObject { ["client"] = "a", ["remote"] = Bob.ToJson(), ["type"] = 9, ["body"] = "AAAA" }));
        DriverAssert.Fails(DriverErrorKind.BadRequest, () => driver.Invoke("group_encrypt", new JsonObject { ["client"] = "a", ["distributionId"] = "not-a-uuid", ["plaintext"] = "AAAA" }));

        DriverAssert.Fails(DriverErrorKind.UnknownClient, () => driver.Identity("nobody"));
        DriverAssert.Fails(DriverErrorKind.UnknownClient, () => driver.Encrypt("nobody", Bob, [1]));

        Assert.Equal(33, driver.Identity("a").IdentityKey.Length);
    }

    [Theory]
    [MemberData(nameof(InteropPairs.Kinds), MemberType = typeof(InteropPairs))]
    public void Results_HaveTheDocumentedShapes(DriverKind kind)
    {
        using var driver = InteropDriver.Start(kind);
        byte[] identity = driver.Create("a", new DriverAddress("aaaaaaaa-7000-11eb-b32a-33b8a8a487a6", 3), registrationId: 4321);
        Assert.Equal(33, identity.Length);
        Assert.Equal(0x05, identity[0]);
        var (reportedIdentity, registrationId) = driver.Identity("a");
        Assert.Equal(identity, reportedIdentity);
        Assert.Equal(4321, registrationId);

        var withOneTime = driver.Bundle("a", preKeyId: 7, signedPreKeyId: 8, kyberPreKeyId: 9);
        Assert.Equal(4321u, withOneTime.RegistrationId);
        Assert.Equal(3, withOneTime.DeviceId);
        Assert.Equal(7u, withOneTime.PreKeyId);
        Assert.Equal(33, withOneTime.PreKey!.Length);
        Assert.Equal(8u, withOneTime.SignedPreKeyId);
        Assert.Equal(33, withOneTime.SignedPreKey.Length);
        Assert.Equal(64, withOneTime.SignedPreKeySignature.Length);
        Assert.Equal(9u, withOneTime.KyberPreKeyId);
        Assert.Equal(1569, withOneTime.KyberPreKey.Length);
        Assert.Equal(0x08, withOneTime.KyberPreKey[0]);
        Assert.Equal(64, withOneTime.KyberPreKeySignature.Length);
        Assert.Equal(identity, withOneTime.IdentityKey);

        var without = driver.Bundle("a");
        Assert.Null(without.PreKeyId);
        Assert.Null(without.PreKey);
        Assert.NotEqual(withOneTime.SignedPreKey, without.SignedPreKey);

        var linked = driver.Create("a2", new DriverAddress("aaaaaaaa-7000-11eb-b32a-33b8a8a487a6", 4), linkedTo: "a");
        Assert.Equal(identity, linked);
        Assert.NotEqual(identity, driver.Create("b", Bob));

        Assert.False(driver.HasSession("a", Bob));
        driver.ArchiveSession("a", Bob);
        DriverAssert.Fails(DriverErrorKind.NoSession, () => driver.Encrypt("a", Bob, Encoding.UTF8.GetBytes("no session")));
    }

    [Theory]
    [MemberData(nameof(InteropPairs.Kinds), MemberType = typeof(InteropPairs))]
    public void FailedDecrypt_ChangesNoState(DriverKind kind)
    {
        using var h = PairingHarness.Start(kind, kind);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        h.Handshake(alice, bob);
        var first = alice.EncryptFor(bob, "one"u8.ToArray());

        // A PreKey message whose inner MAC is broken: no session, no identity saved, pre-keys kept.
        DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => bob.DecryptFrom(alice, first.WithBody(PairingHarness.Tamper(first.Body, -1))));
        Assert.False(bob.HasSessionWith(alice));
        PairingHarness.Deliver(alice, bob, first, "one");

        // After archiving, the session is gone for sending; a fresh handshake recovers.
        h.RoundTrip(bob, alice, "two");
        alice.Driver.ArchiveSession(alice.Handle, bob.Address);
        Assert.False(alice.HasSessionWith(bob));
        DriverAssert.Fails(DriverErrorKind.NoSession, () => alice.EncryptFor(bob, "three"u8.ToArray()));
        h.Handshake(alice, bob);
        h.RoundTrip(alice, bob, "four");
        h.RoundTrip(bob, alice, "five");
    }

    [Theory]
    [MemberData(nameof(InteropPairs.Kinds), MemberType = typeof(InteropPairs))]
    public void PreKeyMessageForMissingPreKeys_IsInvalidKeyId(DriverKind kind)
    {
        using var h = PairingHarness.Start(kind, kind);
        var alice = h.CreateLeft();
        var bob = h.CreateRight();
        var bobOtherInstall = h.CreateRight(bob.Address.Name, 2, linkedTo: bob);
        h.Handshake(alice, bob);
        var message = alice.EncryptFor(bob, "for bob's first device"u8.ToArray());

        // Delivered to a device that never published those pre-keys.
        DriverAssert.Fails(DriverErrorKind.InvalidKeyId, () => bobOtherInstall.DecryptFrom(alice, message));
        PairingHarness.Deliver(alice, bob, message, "for bob's first device");
    }
}
