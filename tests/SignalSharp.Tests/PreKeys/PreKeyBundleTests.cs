using Google.Protobuf;
using SignalSharp.Tests.Sessions;
using Xunit;

namespace SignalSharp.Tests.PreKeys;

/// <summary>
/// <see cref="PreKeyBundle"/>: built from the records or from checked parts, and its documented serialized form
/// (docs/sessions.md, "The serialized bundle").
/// </summary>
public sealed class PreKeyBundleTests : IDisposable
{
    private readonly IdentityKeyPair _identity = KeyHelper.GenerateIdentityKeyPair();
    private readonly PreKeyRecord _oneTime = KeyHelper.GeneratePreKeys(31, 1)[0];
    private readonly SignedPreKeyRecord _signed;
    private readonly KyberPreKeyRecord _kyber;

    public PreKeyBundleTests()
    {
        _signed = KeyHelper.GenerateSignedPreKey(_identity, 7, 1_700_000_000_000);
        _kyber = KeyHelper.GenerateLastResortKyberPreKey(_identity, 9, 1_700_000_000_000);
    }

    public void Dispose()
    {
        _identity.Dispose();
        _oneTime.Dispose();
        _signed.Dispose();
        _kyber.Dispose();
    }

    private PreKeyBundle Bundle(bool withOneTime = true)
        => PreKeyBundle.FromRecords(_identity.IdentityKey, 4242, 3, _signed, _kyber, withOneTime ? _oneTime : null);

    [Fact]
    public void FromRecordsTakesEveryIdKeyAndSignatureFromTheRecords()
    {
        var bundle = Bundle();
        Assert.Equal(4242u, bundle.RegistrationId);
        Assert.Equal(3, bundle.DeviceId);
        Assert.Equal(_identity.IdentityKey, bundle.IdentityKey);
        Assert.Equal(31u, bundle.PreKeyId);
        Assert.Equal(_oneTime.PublicKey, bundle.PreKey);
        Assert.Equal(7u, bundle.SignedPreKeyId);
        Assert.Equal(_signed.PublicKey, bundle.SignedPreKey);
        Assert.Equal(_signed.Signature, bundle.SignedPreKeySignature);
        Assert.Equal(9u, bundle.KyberPreKeyId);
        Assert.Equal(_kyber.PublicKey, bundle.KyberPreKey);
        Assert.Equal(_kyber.Signature, bundle.KyberPreKeySignature);

        var without = Bundle(withOneTime: false);
        Assert.Null(without.PreKeyId);
        Assert.Null(without.PreKey);
    }

    [Fact]
    public void FromRecordsRefusesRecordsSignedByAnotherIdentity()
    {
        using var stranger = KeyHelper.GenerateIdentityKeyPair();
        using var foreignSigned = KeyHelper.GenerateSignedPreKey(stranger, 7, 0);
        using var foreignKyber = KeyHelper.GenerateLastResortKyberPreKey(stranger, 9, 0);
        var e1 = Assert.Throws<ArgumentException>(() => PreKeyBundle.FromRecords(_identity.IdentityKey, 1, 1, foreignSigned, _kyber));
        Assert.Equal("signedPreKey", e1.ParamName);
        var e2 = Assert.Throws<ArgumentException>(() => PreKeyBundle.FromRecords(_identity.IdentityKey, 1, 1, _signed, foreignKyber));
        Assert.Equal("kyberPreKey", e2.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => PreKeyBundle.FromRecords(_identity.IdentityKey, 1, 0, _signed, _kyber));
        Assert.Throws<ArgumentOutOfRangeException>(() => PreKeyBundle.FromRecords(_identity.IdentityKey, 1, 128, _signed, _kyber));
    }

    [Fact]
    public void CreateFromReceivedPartsChecksThemUpFront()
    {
        var good = Bundle();
        var made = PreKeyBundle.Create(
            registrationId: good.RegistrationId,
            deviceId: good.DeviceId,
            identityKey: good.IdentityKey,
            signedPreKeyId: good.SignedPreKeyId,
            signedPreKey: good.SignedPreKey,
            signedPreKeySignature: good.SignedPreKeySignature,
            kyberPreKeyId: good.KyberPreKeyId,
            kyberPreKey: good.KyberPreKey,
            kyberPreKeySignature: good.KyberPreKeySignature,
            preKeyId: good.PreKeyId,
            preKey: good.PreKey);
        Assert.Equal(good.Serialize(), made.Serialize());

        // A signature over the wrong key (the ids and keys of two different records mixed up) does not verify.
        using var otherSigned = KeyHelper.GenerateSignedPreKey(_identity, 8, 0);
        Assert.Throws<InvalidSignatureException>(() => PreKeyBundle.Create(1, 1, good.IdentityKey, 7, otherSigned.PublicKey, good.SignedPreKeySignature, 9, good.KyberPreKey, good.KyberPreKeySignature));
        Assert.Throws<InvalidSignatureException>(() => PreKeyBundle.Create(1, 1, good.IdentityKey, 7, good.SignedPreKey, good.SignedPreKeySignature.AsSpan(1), 9, good.KyberPreKey, good.KyberPreKeySignature));
        Assert.Throws<ArgumentException>(() => PreKeyBundle.Create(1, 1, good.IdentityKey, 7, good.SignedPreKey, good.SignedPreKeySignature, 9, good.KyberPreKey, good.KyberPreKeySignature, preKeyId: 31));
        Assert.Throws<ArgumentException>(() => PreKeyBundle.Create(1, 1, good.IdentityKey, 7, good.SignedPreKey, good.SignedPreKeySignature, 9, good.KyberPreKey, good.KyberPreKeySignature, preKey: good.PreKey));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheSerializedFormRoundTripsAndStartsAWorkingSession(bool withOneTime)
    {
        var bundle = Bundle(withOneTime);
        var bytes = bundle.Serialize();
        var back = PreKeyBundle.Deserialize(bytes);
        Assert.Equal(bytes, back.Serialize());
        Assert.Equal(bundle.PreKeyId, back.PreKeyId);
        Assert.Equal(bundle.PreKey, back.PreKey);
        Assert.Equal(bundle.KyberPreKey, back.KyberPreKey);

        // Upload, download, start a session.
        var bob = new TestParty("bob", 3, _identity);
        await bob.Store.StoreSignedPreKeyAsync(_signed.Id, _signed);
        await bob.Store.StoreKyberPreKeyAsync(_kyber.Id, _kyber);
        await bob.Store.StorePreKeyAsync(_oneTime.Id, _oneTime);
        var alice = new TestParty("alice");
        await alice.BuilderFor(bob).ProcessPreKeyBundleAsync(PreKeyBundle.Deserialize(bytes));
        Assert.Equal("hi", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hi")));
    }

    [Fact]
    public void TheSerializedFormUsesTheDocumentedFieldNumbers()
    {
        var fields = new Dictionary<int, (WireFormat.WireType Type, int Length)>();
        var input = new CodedInputStream(Bundle().Serialize());
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            if (type == WireFormat.WireType.LengthDelimited)
            {
                fields.Add(number, (type, input.ReadBytes().Length));
            }
            else
            {
                input.ReadUInt64();
                fields.Add(number, (type, 0));
            }
        }

        // docs/sessions.md: 1 version, 2 registration id, 3 device id, 4 identity key (33), 5 one-time id,
        // 6 one-time key (33), 7 signed id, 8 signed key (33), 9 its signature (64), 10 Kyber id, 11 Kyber key
        // (1569), 12 its signature (64).
        var varint = WireFormat.WireType.Varint;
        var bytes = WireFormat.WireType.LengthDelimited;
        Assert.Equal(
            new Dictionary<int, (WireFormat.WireType, int)>
            {
                [1] = (varint, 0),
                [2] = (varint, 0),
                [3] = (varint, 0),
                [4] = (bytes, 33),
                [5] = (varint, 0),
                [6] = (bytes, 33),
                [7] = (varint, 0),
                [8] = (bytes, 33),
                [9] = (bytes, 64),
                [10] = (varint, 0),
                [11] = (bytes, 1569),
                [12] = (bytes, 64),
            },
            fields);
    }

    [Fact]
    public void MalformedSerializedBundlesFailWithTypedErrors()
    {
        var bytes = Bundle().Serialize();
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize([])));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize([.. bytes, 0xFF])));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize([.. bytes, 0x68, 0x01]))); // unknown field 13
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize([.. bytes, 0x10, 0x05]))); // field 2 again
        for (int length = 0; length < bytes.Length; length += 7)
        {
            Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(bytes.AsSpan(0, length))));
        }

        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.DeviceId = 0))));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.DeviceId = 128))));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.ClearPreKeyId()))));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.PreKey = ByteString.Empty))));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.SignedPreKey = ByteString.CopyFrom(p.SignedPreKey.Span[..32])))));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.KyberPreKeySignature = ByteString.CopyFrom(new byte[63])))));
        Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.IdentityKey = ByteString.Empty))));
        var version = Assert.IsType<InvalidVersionException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.Version = 2))));
        Assert.Equal(2, version.Version);
        Assert.IsType<InvalidSignatureException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.SignedPreKeySignature = Flipped(p.SignedPreKeySignature)))));
        Assert.IsType<InvalidSignatureException>(Record.Exception(() => PreKeyBundle.Deserialize(With(bytes, p => p.KyberPreKeySignature = Flipped(p.KyberPreKeySignature)))));
    }

    [Fact]
    public void RandomlyMutatedSerializedBundlesParseOrFailWithTypedErrorsOnly()
    {
        var bytes = Bundle().Serialize();
        var random = new Random(11);
        for (int i = 0; i < 400; i++)
        {
            var mutated = (byte[])bytes.Clone();
            switch (i % 4)
            {
                case 0:
                    mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                    break;
                case 2:
                    mutated = mutated[..random.Next(mutated.Length)];
                    break;
                default:
                    int at = random.Next(mutated.Length);
                    mutated = [.. mutated[..at], (byte)random.Next(256), .. mutated[at..]];
                    break;
            }

            var e = Record.Exception(() => PreKeyBundle.Deserialize(mutated));
            Assert.True(
                e is null || e.GetType() == typeof(InvalidMessageException) || e is InvalidSignatureException or InvalidVersionException,
                $"mutation {i}: {e?.GetType().Name}: {e?.Message}");
        }

        var junk = new byte[2000];
        for (int i = 0; i < 200; i++)
        {
            random.NextBytes(junk);
            Assert.IsType<InvalidMessageException>(Record.Exception(() => PreKeyBundle.Deserialize(junk.AsSpan(0, random.Next(junk.Length)))));
        }
    }

    private static ByteString Flipped(ByteString value)
    {
        var bytes = value.ToByteArray();
        bytes[10] ^= 1;
        return ByteString.CopyFrom(bytes);
    }

    private static byte[] With(byte[] serialized, Action<SignalSharp.Sessions.Protos.PreKeyBundleStructure> change)
    {
        var proto = SignalSharp.Sessions.Protos.PreKeyBundleStructure.Parser.ParseFrom(serialized);
        change(proto);
        return proto.ToByteArray();
    }
}
