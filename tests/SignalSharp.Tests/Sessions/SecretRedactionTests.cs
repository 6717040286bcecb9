using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Handshake;
using SignalSharp.Spqr;
using SignalSharp.Spqr.Braid;
using Xunit;

namespace SignalSharp.Tests.Sessions;

/// <summary>
/// Secret bytes never show up in text (issue 10, point 4): not in <c>ToString</c> of the types that hold them, not in
/// the messages of the exceptions that sessions and records raise, and the members holding them are hidden from
/// debugger displays.
/// </summary>
public class SecretRedactionTests
{
    [Fact]
    public void KeyAndRecordTypesDoNotPrintTheirSecrets()
    {
        using var identity = IdentityKeyPair.Generate();
        using var pair = EcKeyPair.Generate();
        using var kem = KemKeyPair.Generate();
        using var encapsulation = kem.PublicKey.Encapsulate();
        using var preKey = KeyHelper.GeneratePreKeys(1, 1)[0];
        using var signed = KeyHelper.GenerateSignedPreKey(identity, 1, 0);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(identity, 1, 0);
        var spqrKey = RandomNumberGenerator.GetBytes(32);
        var spqr = SpqrState.Initialize(spqrKey, SpqrDirection.A2B);
        var received = new SpqrReceiveResult(spqrKey, spqr);

        AssertHides(identity, identity.PrivateKey.Serialize());
        AssertHides(identity.PrivateKey, identity.PrivateKey.Serialize());
        AssertHides(pair, pair.PrivateKey.Serialize());
        AssertHides(kem, kem.SecretKey.Serialize());
        AssertHides(kem.SecretKey, kem.SecretKey.Serialize());
        AssertHides(encapsulation, encapsulation.SharedSecret);
        AssertHides(preKey, preKey.KeyPair.PrivateKey.Serialize());
        AssertHides(signed, signed.KeyPair.PrivateKey.Serialize());
        AssertHides(kyber, kyber.KeyPair.SecretKey.Serialize());
        AssertHides(spqr, spqrKey);
        AssertHides(received, spqrKey);
    }

    [Fact]
    public async Task SessionFailuresDoNotPrintSessionSecrets()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "hi"));
        var skipped = await alice.EncryptAsync(bob, "skipped");
        var delivered = await alice.EncryptAsync(bob, "delivered");
        await bob.DecryptAsync(alice, delivered);
        var record = (await bob.Store.LoadSessionAsync(alice.Address))!;
        var secrets = SessionSecrets(record.Current!).ToList();
        Assert.NotEmpty(secrets);

        var failures = new List<Exception>
        {
            await Assert.ThrowsAnyAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, delivered)),
            await Assert.ThrowsAnyAsync<InvalidMessageException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, Tampered(skipped.Serialize()))),
            Assert.ThrowsAny<InvalidMessageException>(() => SessionRecord.Deserialize(record.Serialize()[..^3])),
        };
        AssertHides(record, [.. secrets.SelectMany(s => s)]);
        AssertHides(record.Current!, [.. secrets.SelectMany(s => s)]);

        foreach (var failure in failures)
        {
            foreach (var secret in secrets)
            {
                AssertTextHides(failure.ToString(), secret);
            }
        }
    }

    [Theory]
    [InlineData(typeof(EcPrivateKey), "_key")]
    [InlineData(typeof(KemSecretKey), "_serialized")]
    [InlineData(typeof(KemEncapsulation), nameof(KemEncapsulation.SharedSecret))]
    [InlineData(typeof(PqxdhKeys), nameof(PqxdhKeys.RootKey))]
    [InlineData(typeof(PqxdhKeys), nameof(PqxdhKeys.ChainKey))]
    [InlineData(typeof(PqxdhKeys), nameof(PqxdhKeys.SpqrAuthKey))]
    [InlineData(typeof(SessionState), nameof(SessionState.RootKey))]
    [InlineData(typeof(ChainState), nameof(ChainState.ChainKey))]
    [InlineData(typeof(ChainState), nameof(ChainState.RatchetPrivateKey))]
    [InlineData(typeof(ChainState), nameof(ChainState.Skipped))]
    [InlineData(typeof(ChainState), nameof(ChainState.SkippedSeeds))]
    [InlineData(typeof(ChainState), "_skipped")]
    [InlineData(typeof(DirectionalChain), "next")]
    [InlineData(typeof(DirectionalChain), nameof(DirectionalChain.Skipped))]
    [InlineData(typeof(SpqrChain), "nextRoot")]
    [InlineData(typeof(SpqrAuthenticator), "root")]
    [InlineData(typeof(SpqrAuthenticator), "mac")]
    [InlineData(typeof(EpochSecret), nameof(EpochSecret.Secret))]
    [InlineData(typeof(SpqrReceiveResult), nameof(SpqrReceiveResult.Key))]
    [InlineData(typeof(SpqrSendResult), nameof(SpqrSendResult.Key))]
    public void SecretMembersAreHiddenFromTheDebugger(Type type, string member)
    {
        var found = type.GetMember(member, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.Single(found);
        Assert.Equal(DebuggerBrowsableState.Never, found[0].GetCustomAttribute<DebuggerBrowsableAttribute>()?.State);
    }

    private static IEnumerable<byte[]> SessionSecrets(SessionState state)
    {
        yield return state.RootKey;
        yield return state.SenderChain.ChainKey;
        yield return state.SenderChain.RatchetPrivateKey!;
        foreach (var chain in state.ReceiverChains)
        {
            yield return chain.ChainKey;
            foreach (var (_, seed) in chain.SkippedSeeds)
            {
                yield return seed;
            }
        }
    }

    private static byte[] Tampered(byte[] message)
    {
        message[^1] ^= 1;
        return message;
    }

    private static void AssertHides(object holder, byte[] secret)
    {
        AssertTextHides(holder.ToString()!, secret);
        AssertTextHides($"{holder}", secret);
    }

    private static void AssertTextHides(string text, byte[] secret)
    {
        // Any 8 consecutive secret bytes, in the encodings a careless ToString would use.
        for (int i = 0; i + 8 <= secret.Length; i += 8)
        {
            var part = secret.AsSpan(i, 8);
            Assert.DoesNotContain(Convert.ToHexString(part), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(BitConverter.ToString(part.ToArray()), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(part)[..8], text, StringComparison.Ordinal);
            Assert.DoesNotContain(string.Join(", ", part.ToArray()), text, StringComparison.Ordinal);
        }
    }
}
