using System.Text;
using SignalSharp.TestSupport.Interop;
using Xunit;
using static SignalSharp.TestSupport.Interop.PairingHarness;

namespace SignalSharp.Tests.Interop;

/// <summary>
/// Sender-key (group) scenarios for every pairing of <see cref="InteropPairs"/>: the sender sits in one driver,
/// members in both. Each test runs the scenario once with the sender on the left and once on the right.
/// </summary>
[Trait("Category", "Interop")]
public sealed class GroupInteropTests
{
    private const int SignatureLength = 64;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    [Theory]
    [MemberData(nameof(InteropPairs.Groups), MemberType = typeof(InteropPairs))]
    public void SenderKeyMessages_DecryptInOrderAndShuffled_OnBothSides(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        foreach (var (home, away) in new[] { (h.Left, h.Right), (h.Right, h.Left) })
        {
            var sender = h.CreatePeer(home);
            var homeMember = h.CreatePeer(home);
            var inOrder = h.CreatePeer(away);
            var shuffled = h.CreatePeer(away);
            var distribution = Guid.NewGuid();

            byte[] skdm = sender.Driver.SenderKeyDistribution(sender.Handle, distribution);
            foreach (var member in new[] { homeMember, inOrder, shuffled })
            {
                member.Driver.ProcessSenderKeyDistribution(member.Handle, sender.Address, skdm);
            }

            var sent = Enumerable.Range(0, 25).Select(i => (Text: $"group {i}", Body: sender.Driver.GroupEncrypt(sender.Handle, distribution, Utf8($"group {i}")))).ToList();
            foreach (var (text, body) in sent)
            {
                Assert.Equal(text, Text(inOrder.Driver.GroupDecrypt(inOrder.Handle, sender.Address, body)));
            }

            foreach (var member in new[] { shuffled, homeMember })
            {
                foreach (var (text, body) in Shuffle(sent, new Random(25)))
                {
                    Assert.Equal(text, Text(member.Driver.GroupDecrypt(member.Handle, sender.Address, body)));
                }
            }

            // A re-sent distribution message does not reset the receiving chain: replays stay duplicates.
            shuffled.Driver.ProcessSenderKeyDistribution(shuffled.Handle, sender.Address, skdm);
            foreach (var member in new[] { homeMember, inOrder, shuffled })
            {
                DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => member.Driver.GroupDecrypt(member.Handle, sender.Address, sent[3].Body));
                DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => member.Driver.GroupDecrypt(member.Handle, sender.Address, sent[24].Body));
            }
        }
    }

    [Theory]
    [MemberData(nameof(InteropPairs.Groups), MemberType = typeof(InteropPairs))]
    public void TamperedSenderKeyMessage_IsInvalid_AndTheOriginalStillDecrypts(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        foreach (var (home, away) in new[] { (h.Left, h.Right), (h.Right, h.Left) })
        {
            var sender = h.CreatePeer(home);
            var member = h.CreatePeer(away);
            var distribution = Guid.NewGuid();
            member.Driver.ProcessSenderKeyDistribution(member.Handle, sender.Address, sender.Driver.SenderKeyDistribution(sender.Handle, distribution));

            byte[] body = sender.Driver.GroupEncrypt(sender.Handle, distribution, Utf8("signed"));
            var fields = WireInspector.ParseFields(body, 1, body.Length - SignatureLength);
            WireField F(int number) => fields.Single(f => f.Number == number);
            int[] offsets =
            [
                0,                              // version byte (signed)
                F(3).Offset,                    // iteration
                F(4).Offset,                    // ciphertext, first byte
                F(4).Offset + F(4).Length - 1,  // ciphertext, last byte
                body.Length - SignatureLength,  // signature R
                body.Length - 1,                // signature s
            ];
            foreach (int offset in offsets)
            {
                DriverAssert.FailsWithOneOf(
                    offset == 0 ? [DriverErrorKind.InvalidMessage, DriverErrorKind.LegacyMessage] : [DriverErrorKind.InvalidMessage],
                    () => member.Driver.GroupDecrypt(member.Handle, sender.Address, Tamper(body, offset)));
            }

            DriverAssert.Fails(DriverErrorKind.InvalidMessage, () => member.Driver.GroupDecrypt(member.Handle, sender.Address, body[..^1]));
            Assert.Equal("signed", Text(member.Driver.GroupDecrypt(member.Handle, sender.Address, body)));
        }
    }

    [Theory]
    [MemberData(nameof(InteropPairs.Groups), MemberType = typeof(InteropPairs))]
    public void NonMember_HasNoSenderKey(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        foreach (var (home, away) in new[] { (h.Left, h.Right), (h.Right, h.Left) })
        {
            var sender = h.CreatePeer(home);
            var member = h.CreatePeer(away);
            var outsider = h.CreatePeer(away);
            var distribution = Guid.NewGuid();
            member.Driver.ProcessSenderKeyDistribution(member.Handle, sender.Address, sender.Driver.SenderKeyDistribution(sender.Handle, distribution));
            byte[] body = sender.Driver.GroupEncrypt(sender.Handle, distribution, Utf8("members only"));

            DriverAssert.Fails(DriverErrorKind.NoSenderKey, () => outsider.Driver.GroupDecrypt(outsider.Handle, sender.Address, body));

            // A member of another distribution of the same sender has no key for this one either.
            var otherDistribution = Guid.NewGuid();
            outsider.Driver.ProcessSenderKeyDistribution(outsider.Handle, sender.Address, sender.Driver.SenderKeyDistribution(sender.Handle, otherDistribution));
            DriverAssert.Fails(DriverErrorKind.NoSenderKey, () => outsider.Driver.GroupDecrypt(outsider.Handle, sender.Address, body));

            Assert.Equal("members only", Text(member.Driver.GroupDecrypt(member.Handle, sender.Address, body)));
        }
    }
}
