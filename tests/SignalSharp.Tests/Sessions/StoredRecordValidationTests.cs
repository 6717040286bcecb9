using Google.Protobuf;
using SignalSharp;
using SignalSharp.Sessions.Protos;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// Stored records are untrusted bytes too (issue 10, 0e): every field is checked when a record is parsed, and a
/// bad one is an <see cref="InvalidRecordException"/> there, never an ArgumentException when the field is used later.
/// </summary>
public class StoredRecordValidationTests
{
    public static TheoryData<string> Tamperings => new()
    {
        "skipped-seed-31-bytes", "skipped-seed-at-or-after-chain-index", "root-key-31-bytes", "chain-key-33-bytes",
        "private-key-on-receiving-chain", "sender-chain-without-private-key", "six-receiving-chains",
        "2001-skipped-seeds", "version-5", "version-0", "bad-identity-key", "bad-spqr-state", "pending-ciphertext-short",
        "41-archived",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task TamperedSessionRecordIsAnInvalidRecordWhenParsed(string tampering)
    {
        var structure = SessionRecordStructure.Parser.ParseFrom(await RecordWithSkippedSeedsAsync());
        var current = structure.Current;
        var receiving = current.ReceiverChains[^1];
        switch (tampering)
        {
            case "skipped-seed-31-bytes":
                receiving.Skipped[0].Seed = ByteString.CopyFrom(new byte[31]);
                break;
            case "skipped-seed-at-or-after-chain-index":
                receiving.Skipped[0].Index = receiving.Index;
                break;
            case "root-key-31-bytes":
                current.RootKey = ByteString.CopyFrom(new byte[31]);
                break;
            case "chain-key-33-bytes":
                receiving.ChainKey = ByteString.CopyFrom(new byte[33]);
                break;
            case "private-key-on-receiving-chain":
                receiving.RatchetPrivate = current.SenderChain.RatchetPrivate;
                break;
            case "sender-chain-without-private-key":
                current.SenderChain.RatchetPrivate = ByteString.Empty;
                break;
            case "six-receiving-chains":
                while (current.ReceiverChains.Count <= SessionState.MaxReceiverChains)
                {
                    current.ReceiverChains.Add(receiving.Clone());
                }

                break;
            case "2001-skipped-seeds":
                while (receiving.Skipped.Count <= SessionRatchet.MaxSkippedKeysPerChain)
                {
                    receiving.Skipped.Add(receiving.Skipped[0].Clone());
                }

                break;
            case "version-5":
                current.SessionVersion = 5;
                break;
            case "version-0":
                current.SessionVersion = 0;
                break;
            case "bad-identity-key":
                current.RemoteIdentity = ByteString.CopyFrom(new byte[] { 5, 1, 2 });
                break;
            case "bad-spqr-state":
                current.SpqrState = ByteString.CopyFrom(new byte[] { 0xFF, 0xFF });
                break;
            case "pending-ciphertext-short":
                current.PendingPreKey = new PendingPreKeyStructure
                {
                    SignedPreKeyId = 1,
                    BaseKey = current.AliceBaseKey,
                    KyberPreKeyId = 1,
                    KyberCiphertext = ByteString.CopyFrom(new byte[10]),
                };
                break;
            case "41-archived":
                while (structure.Archived.Count <= SessionRecord.MaxArchivedStates)
                {
                    structure.Archived.Add(current.Clone());
                }

                break;
        }

        Assert.Throws<InvalidRecordException>(() => SessionRecord.Deserialize(structure.ToByteArray()));
    }

    [Fact]
    public async Task UntamperedRecordWithSkippedSeedsParsesAndStillDecryptsALateMessage()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "hi"));
        var late = await alice.EncryptAsync(bob, "late");
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "first"));

        var reparsed = SessionRecord.Deserialize((await bob.Store.LoadSessionAsync(alice.Address))!.Serialize());
        await bob.Store.StoreSessionAsync(alice.Address, reparsed);

        Assert.Equal("late", await bob.DecryptAsync(alice, late));
    }

    [Fact]
    public void RecordFormatsOtherThanOneAreInvalidRecords()
    {
        Assert.Throws<InvalidRecordException>(() => SessionRecord.Deserialize([0x08, 0x02]));
        Assert.Throws<InvalidRecordException>(() => SessionRecord.Deserialize([0xFF]));
    }

    [Fact]
    public void PreKeyRecordsWithASignatureOfTheWrongLengthAreRefusedWhenParsed()
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, 0);
        var signedStructure = SignedPreKeyRecordStructure.Parser.ParseFrom(signed.Serialize());
        signedStructure.Signature = ByteString.CopyFrom(new byte[63]);
        var kyberStructure = KyberPreKeyRecordStructure.Parser.ParseFrom(kyber.Serialize());
        kyberStructure.Signature = ByteString.CopyFrom(new byte[65]);

        Assert.Throws<InvalidKeyException>(() => SignedPreKeyRecord.Deserialize(signedStructure.ToByteArray()));
        Assert.Throws<InvalidKeyException>(() => KyberPreKeyRecord.Deserialize(kyberStructure.ToByteArray()));
    }

    /// <summary>Bob's serialized record after a message arrived ahead of an earlier one (its receiving chain holds a skipped seed).</summary>
    private static async Task<byte[]> RecordWithSkippedSeedsAsync()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "hi"));
        _ = await alice.EncryptAsync(bob, "skipped");
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "ahead"));
        return (await bob.Store.LoadSessionAsync(alice.Address))!.Serialize();
    }
}
