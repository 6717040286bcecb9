using System.Text;
using SignalSharp;
using SignalSharp.Fingerprints;
using SignalSharp.TestSupport.Interop;
using Xunit;

namespace SignalSharp.Groups.Tests;

/// <summary>
/// SignalSharp's group cipher, in process, against libsignal 0.103 in the Node reference driver: distribution
/// messages and group messages cross in both directions, a group mixes senders of both implementations, and a
/// rotation by a SignalSharp sender locks out a removed libsignal member. (The driver-pair scenarios in
/// SignalSharp.Tests/Interop cover the same ground through the C# driver process.)
/// </summary>
public sealed class LibsignalGroupInteropTests : IDisposable
{
    private readonly InteropDriver _libsignal = InteropDriver.Start(DriverKind.Libsignal);
    private int _clients;

    public void Dispose() => _libsignal.Dispose();

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    private (string Handle, ProtocolAddress Address) LibsignalClient()
    {
        var address = new DriverAddress(Guid.NewGuid().ToString(), 1);
        string handle = $"c{++_clients}";
        _libsignal.Create(handle, address);
        return (handle, new ProtocolAddress(address.Name, address.Device));
    }

    private static DriverAddress ToDriver(ProtocolAddress a) => new(a.Name, a.DeviceId);

    [Fact]
    public async Task LibsignalSenderToSignalSharpMembers_InOrderShuffledReplayAndTamper()
    {
        var sender = LibsignalClient();
        var inOrder = new Device("in-order");
        var shuffled = new Device("shuffled");
        var distribution = Guid.NewGuid();
        byte[] skdm = _libsignal.SenderKeyDistribution(sender.Handle, distribution);
        var parsed = SenderKeyDistributionMessage.Parse(skdm);
        Assert.Equal(skdm, parsed.Serialize());
        Assert.Equal(distribution, parsed.DistributionId);
        await inOrder.Cipher.ProcessDistributionMessageAsync(sender.Address, skdm);
        await shuffled.Cipher.ProcessDistributionMessageAsync(sender.Address, skdm);

        var sent = Enumerable.Range(0, 25).Select(i => _libsignal.GroupEncrypt(sender.Handle, distribution, Utf8($"from libsignal {i}"))).ToList();
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal($"from libsignal {i}", Text(await inOrder.Cipher.DecryptAsync(sender.Address, sent[i])));
        }

        var order = Enumerable.Range(0, 25).OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (int i in order)
        {
            Assert.Equal($"from libsignal {i}", Text(await shuffled.Cipher.DecryptAsync(sender.Address, sent[i])));
        }

        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await shuffled.Cipher.DecryptAsync(sender.Address, sent[7]));
        var next = _libsignal.GroupEncrypt(sender.Handle, distribution, Utf8("next"));
        var tampered = (byte[])next.Clone();
        tampered[^40] ^= 0x01;
        await Assert.ThrowsAsync<InvalidMessageException>(async () => await inOrder.Cipher.DecryptAsync(sender.Address, tampered));
        Assert.Equal("next", Text(await inOrder.Cipher.DecryptAsync(sender.Address, next)));

        var outsider = new Device("outsider");
        await Assert.ThrowsAsync<NoSenderKeyException>(async () => await outsider.Cipher.DecryptAsync(sender.Address, next));
    }

    [Fact]
    public async Task SignalSharpSenderToLibsignalMembers_InOrderShuffledReplayAndTamper()
    {
        var sender = new Device(Guid.NewGuid().ToString());
        var inOrder = LibsignalClient();
        var shuffled = LibsignalClient();
        var distribution = Guid.NewGuid();
        var skdm = (await sender.Cipher.CreateDistributionMessageAsync(sender.Address, distribution)).Serialize();
        _libsignal.ProcessSenderKeyDistribution(inOrder.Handle, ToDriver(sender.Address), skdm);
        _libsignal.ProcessSenderKeyDistribution(shuffled.Handle, ToDriver(sender.Address), skdm);

        var sent = new List<byte[]>();
        for (int i = 0; i < 25; i++)
        {
            sent.Add((await sender.Cipher.EncryptAsync(sender.Address, distribution, Utf8($"from SignalSharp {i}"))).Serialize());
        }

        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal($"from SignalSharp {i}", Text(_libsignal.GroupDecrypt(inOrder.Handle, ToDriver(sender.Address), sent[i])));
        }

        foreach (int i in Enumerable.Range(0, 25).OrderBy(_ => Random.Shared.Next()))
        {
            Assert.Equal($"from SignalSharp {i}", Text(_libsignal.GroupDecrypt(shuffled.Handle, ToDriver(sender.Address), sent[i])));
        }

        var duplicate = Assert.Throws<DriverError>(() => _libsignal.GroupDecrypt(shuffled.Handle, ToDriver(sender.Address), sent[3]));
        Assert.Equal(DriverErrorKind.DuplicateMessage, duplicate.Kind);
        var fresh = (await sender.Cipher.EncryptAsync(sender.Address, distribution, Utf8("fresh"))).Serialize();
        var forged = (byte[])fresh.Clone();
        forged[^70] ^= 0x01;
        Assert.Equal(DriverErrorKind.InvalidMessage, Assert.Throws<DriverError>(() => _libsignal.GroupDecrypt(inOrder.Handle, ToDriver(sender.Address), forged)).Kind);
        Assert.Equal("fresh", Text(_libsignal.GroupDecrypt(inOrder.Handle, ToDriver(sender.Address), fresh)));

        var outsider = LibsignalClient();
        Assert.Equal(DriverErrorKind.NoSenderKey, Assert.Throws<DriverError>(() => _libsignal.GroupDecrypt(outsider.Handle, ToDriver(sender.Address), fresh)).Kind);
    }

    [Fact]
    public async Task MixedGroup_LibsignalAndSignalSharpSendersWithMembersOnBothSides()
    {
        var distributionOfLibsignal = Guid.NewGuid();
        var distributionOfSharp = Guid.NewGuid();
        var libSender = LibsignalClient();
        var libMember = LibsignalClient();
        var sharpSender = new Device(Guid.NewGuid().ToString());
        var sharpMember = new Device(Guid.NewGuid().ToString());

        // Everyone learns both senders' keys.
        var libSkdm = _libsignal.SenderKeyDistribution(libSender.Handle, distributionOfLibsignal);
        var sharpSkdm = (await sharpSender.Cipher.CreateDistributionMessageAsync(sharpSender.Address, distributionOfSharp)).Serialize();
        _libsignal.ProcessSenderKeyDistribution(libMember.Handle, ToDriver(libSender.Address), libSkdm);
        _libsignal.ProcessSenderKeyDistribution(libMember.Handle, ToDriver(sharpSender.Address), sharpSkdm);
        _libsignal.ProcessSenderKeyDistribution(libSender.Handle, ToDriver(sharpSender.Address), sharpSkdm);
        await sharpMember.Cipher.ProcessDistributionMessageAsync(libSender.Address, libSkdm);
        await sharpMember.Cipher.ProcessDistributionMessageAsync(sharpSender.Address, sharpSkdm);
        await sharpSender.Cipher.ProcessDistributionMessageAsync(libSender.Address, libSkdm);

        for (int round = 0; round < 5; round++)
        {
            var fromLib = _libsignal.GroupEncrypt(libSender.Handle, distributionOfLibsignal, Utf8($"lib {round}"));
            var fromSharp = (await sharpSender.Cipher.EncryptAsync(sharpSender.Address, distributionOfSharp, Utf8($"sharp {round}"))).Serialize();
            Assert.Equal($"lib {round}", Text(_libsignal.GroupDecrypt(libMember.Handle, ToDriver(libSender.Address), fromLib)));
            Assert.Equal($"lib {round}", Text(await sharpMember.Cipher.DecryptAsync(libSender.Address, fromLib)));
            Assert.Equal($"lib {round}", Text(await sharpSender.Cipher.DecryptAsync(libSender.Address, fromLib)));
            Assert.Equal($"sharp {round}", Text(_libsignal.GroupDecrypt(libMember.Handle, ToDriver(sharpSender.Address), fromSharp)));
            Assert.Equal($"sharp {round}", Text(_libsignal.GroupDecrypt(libSender.Handle, ToDriver(sharpSender.Address), fromSharp)));
            Assert.Equal($"sharp {round}", Text(await sharpMember.Cipher.DecryptAsync(sharpSender.Address, fromSharp)));
        }
    }

    [Fact]
    public async Task RotationBySignalSharpSender_LocksOutTheRemovedLibsignalMember()
    {
        var sender = new Device(Guid.NewGuid().ToString());
        var staying = LibsignalClient();
        var leaving = LibsignalClient();
        var distribution = Guid.NewGuid();
        var session = new GroupSession(sender.Cipher, sender.Address, distribution, new[] { staying.Address, leaving.Address }, (to, skdm, _) =>
        {
            // Stands in for the pairwise session: the member's libsignal client processes the distribution message.
            string handle = to.Equals(staying.Address) ? staying.Handle : leaving.Handle;
            _libsignal.ProcessSenderKeyDistribution(handle, ToDriver(sender.Address), skdm);
            return ValueTask.CompletedTask;
        });

        var before = (await session.EncryptAsync(Utf8("before"))).Serialize();
        Assert.Equal("before", Text(_libsignal.GroupDecrypt(leaving.Handle, ToDriver(sender.Address), before)));
        await session.RemoveMembersAsync(new[] { leaving.Address });
        var after = (await session.EncryptAsync(Utf8("after"))).Serialize();

        Assert.Equal(DriverErrorKind.NoSenderKey, Assert.Throws<DriverError>(() => _libsignal.GroupDecrypt(leaving.Handle, ToDriver(sender.Address), after)).Kind);
        Assert.Equal("after", Text(_libsignal.GroupDecrypt(staying.Handle, ToDriver(sender.Address), after)));
        Assert.Equal("before", Text(_libsignal.GroupDecrypt(staying.Handle, ToDriver(sender.Address), before)));
    }

    [Fact]
    public void SafetyNumbersAgreeWithLibsignalForRandomKeys()
    {
        var (handle, _) = LibsignalClient();
        var generator = new NumericFingerprintGenerator();
        for (int i = 0; i < 3; i++)
        {
            using var local = EcPrivateKey.Generate();
            using var remote = EcPrivateKey.Generate();
            var localKey = new IdentityKey(local.PublicKey);
            var remoteKey = new IdentityKey(remote.PublicKey);
            var localId = Guid.NewGuid().ToByteArray(bigEndian: true);
            var remoteId = Encoding.UTF8.GetBytes($"+1415555{i:0000}");
            foreach (int version in new[] { 1, 2 })
            {
                var ours = generator.CreateFor(version, localId, localKey, remoteId, remoteKey);
                var theirs = _libsignal.Fingerprint(handle, localId, remoteId, remoteKey.Serialize(), 5200, version, localIdentityKey: localKey.Serialize());
                Assert.Equal(theirs.Displayable, ours.DisplayableFingerprint.DisplayText);
                Assert.Equal(theirs.Scannable, ours.ScannableFingerprint.Serialize());
            }
        }
    }
}
