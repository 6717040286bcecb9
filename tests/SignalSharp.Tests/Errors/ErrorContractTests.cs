using SignalSharp.Tests.Sessions;
using Xunit;

namespace SignalSharp.Tests.Errors;

/// <summary>
/// The exception contract of issue #11 ("errors that lead to the right action"): one test per rule, each naming the
/// exact type an app catches and the structured properties it reads.
/// </summary>
public class ErrorContractTests
{
    [Fact]
    public async Task JunkIsAnInvalidMessageWhateverItsFirstByteClaims()
    {
        var bob = new TestParty("bob");
        var cipher = bob.CipherFor(new TestParty("alice"));
        for (int first = 0; first < 256; first++)
        {
            // 0xFF never ends a varint, so no protobuf body can be read from the rest.
            var junk = Enumerable.Repeat((byte)0xFF, 40).ToArray();
            junk[0] = (byte)first;
            Assert.IsType<InvalidMessageException>(Record.Exception(() => SignalMessage.Deserialize(junk)));
            Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeySignalMessage.Deserialize(junk)));
            var viaCipher = await Assert.ThrowsAsync<InvalidMessageException>(() => cipher.DecryptAsync(CiphertextMessageType.Whisper, junk).AsTask());
            Assert.Equal("alice", viaCipher.Address!.Name);
        }
    }

    [Fact]
    public async Task AMessageOfTheWrongKindIsAnInvalidMessage()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var preKey = (await alice.EncryptAsync(bob, "hello")).Serialize();
        await bob.DecryptBytesAsync(alice, CiphertextMessageType.PreKey, preKey);
        var whisper = (await bob.EncryptAsync(alice, "back")).Serialize();

        Assert.IsType<InvalidMessageException>(Record.Exception(() => SignalMessage.Deserialize(preKey)));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeySignalMessage.Deserialize(whisper)));
        var cipher = alice.CipherFor(bob);
        await Assert.ThrowsAsync<InvalidMessageException>(() => cipher.DecryptAsync(CiphertextMessageType.PreKey, whisper).AsTask());
        await Assert.ThrowsAsync<InvalidMessageException>(() => cipher.DecryptAsync(CiphertextMessageType.SenderKey, whisper).AsTask());
        Assert.Equal("back", System.Text.Encoding.UTF8.GetString(await cipher.DecryptAsync(CiphertextMessageType.Whisper, whisper)));
    }

    [Fact]
    public async Task AWellFormedMessageOfAnUnknownVersionIsAnInvalidVersionNotAnInvalidMessage()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var preKey = (await alice.EncryptAsync(bob, "hello")).Serialize();
        var inner = PreKeySignalMessage.Deserialize(preKey).Message.Serialize();

        var newer = (byte[])inner.Clone();
        newer[0] = 0x54;
        var e = Assert.IsType<InvalidVersionException>(Record.Exception(() => SignalMessage.Deserialize(newer)));
        Assert.Equal(5, e.Version);
        Assert.IsNotAssignableFrom<InvalidMessageException>(e);

        var older = (byte[])inner.Clone();
        older[0] = 0x24;
        var legacy = Assert.IsType<LegacyMessageException>(Record.Exception(() => SignalMessage.Deserialize(older)));
        Assert.Equal(2, legacy.Version);

        var newerPreKey = (byte[])preKey.Clone();
        newerPreKey[0] = 0xF4;
        var viaCipher = await Assert.ThrowsAsync<InvalidVersionException>(() => bob.CipherFor(alice).DecryptAsync(CiphertextMessageType.PreKey, newerPreKey).AsTask());
        Assert.Equal(15, viaCipher.Version);
        Assert.Equal(alice.Address, viaCipher.Address);
    }

    [Fact]
    public async Task ADuplicateIsNotAnInvalidMessageAndCarriesItsCounterAndSender()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "back"));
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "one"));
        var two = (SignalMessage)await alice.EncryptAsync(bob, "two");
        Assert.Equal("two", await bob.DecryptAsync(alice, two));

        var e = await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, two));
        Assert.Equal(two.Counter, e.Counter);
        Assert.Equal(1u, e.Counter);
        Assert.Equal(alice.Address, e.Address);
        Assert.IsNotAssignableFrom<InvalidMessageException>(e);
    }

    [Theory]
    [InlineData(PreKeyKind.OneTime)]
    [InlineData(PreKeyKind.Kyber)]
    public async Task AMissingPreKeyIsAnInvalidKeyIdNamingItsKindIdAndSender(PreKeyKind kind)
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        var bundle = await bob.PublishBundleAsync();
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(bundle);
        var message = await alice.EncryptAsync(bob, "hello");
        if (kind == PreKeyKind.OneTime)
        {
            await bob.Store.RemovePreKeyAsync(bundle.PreKeyId!.Value);
        }
        else
        {
            await bob.Store.RemoveKyberPreKeyAsync(bundle.KyberPreKeyId);
        }

        var e = await Assert.ThrowsAsync<InvalidKeyIdException>(() => bob.DecryptAsync(alice, message));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(kind == PreKeyKind.OneTime ? bundle.PreKeyId!.Value : bundle.KyberPreKeyId, e.KeyId);
        Assert.Equal(alice.Address, e.Address);
        Assert.IsNotAssignableFrom<InvalidMessageException>(e);
    }

    [Fact]
    public void BadSizesHandedInByTheAppAreArgumentExceptionsWhileWireBytesStayTyped()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var pair = EcKeyPair.Generate();
        var key = pair.PublicKey.Serialize();

        // The app built these values: a programming error.
        Assert.Throws<ArgumentException>(() => EcPublicKey.FromPublicKeyBytes(key.AsSpan(1, 31)));
        Assert.Throws<ArgumentException>(() => new SignedPreKeyRecord(1, 0, EcKeyPair.Generate(), new byte[63]));
        using var kem = KemKeyPair.Generate();
        Assert.Throws<ArgumentException>(() => new KyberPreKeyRecord(1, 0, kem, new byte[65], isLastResort: true));
        using var other = KemKeyPair.Generate(KemType.MlKem1024);
        Assert.Throws<ArgumentException>(() => new KemKeyPair(kem.PublicKey, other.SecretKey));

        // The same defects in bytes from outside: the library's typed exceptions.
        Assert.Throws<InvalidKeyException>(() => EcPublicKey.Deserialize(key.AsSpan(0, 32)));
        using var signed = SignedPreKeyRecord.Generate(identity, 1, 0);
        var stored = signed.Serialize();
        Assert.Throws<InvalidKeyException>(() => SignedPreKeyRecord.Deserialize(WithSignatureLength(stored, 63)));
    }

    [Fact]
    public async Task ABundleForAnotherDeviceIsRefusedWithItsDeviceIdAndNothingIsStored()
    {
        var alice = new TestParty("alice");
        var bobPhone = new TestParty("bob", deviceId: 2);
        var bundle = await bobPhone.PublishBundleAsync();
        var bobLaptop = new ProtocolAddress("bob", 1);

        var e = await Assert.ThrowsAsync<DeviceIdMismatchException>(() => new SessionBuilder(alice.Store, bobLaptop).ProcessPreKeyBundleAsync(bundle).AsTask());
        Assert.Equal(bobLaptop, e.Address);
        Assert.Equal(2, e.BundleDeviceId);
        Assert.Null(await alice.Store.LoadSessionAsync(bobLaptop));
        Assert.Null(await alice.Store.GetIdentityAsync(bobLaptop));
    }

    [Fact]
    public async Task ExceptionsFromTheCipherNameTheRemoteDeviceAndParsersAloneDoNot()
    {
        var alice = new TestParty("alice");
        var e = await Assert.ThrowsAsync<NoSessionException>(() => alice.CipherFor(new TestParty("bob", 3)).EncryptAsync(new byte[1]).AsTask());
        Assert.Equal(new ProtocolAddress("bob", 3), e.Address);
        Assert.Null(Assert.IsType<InvalidMessageException>(Record.Exception(() => SignalMessage.Deserialize([]))).Address);
    }

    /// <summary>A stored signed pre-key record whose signature field (4) is cut or padded to <paramref name="length"/> bytes.</summary>
    private static byte[] WithSignatureLength(byte[] record, int length)
    {
        var parsed = SignalSharp.Sessions.Protos.SignedPreKeyRecordStructure.Parser.ParseFrom(record);
        var signature = new byte[length];
        parsed.Signature.Span[..Math.Min(length, parsed.Signature.Length)].CopyTo(signature);
        parsed.Signature = Google.Protobuf.ByteString.CopyFrom(signature);
        return Google.Protobuf.MessageExtensions.ToByteArray(parsed);
    }
}
