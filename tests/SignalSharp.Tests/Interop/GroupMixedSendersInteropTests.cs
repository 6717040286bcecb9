using System.Text;
using SignalSharp.TestSupport.Interop;
using Xunit;
using static SignalSharp.TestSupport.Interop.PairingHarness;

namespace SignalSharp.Tests.Interop;

/// <summary>
/// One group with a sender in each driver and members in both, so that with a mixed pairing a libsignal sender
/// and a SignalSharp sender share the group: every member (including the other sender) decrypts both senders'
/// messages, interleaved and shuffled, and replays of either sender's messages are duplicates everywhere.
/// </summary>
[Trait("Category", "Interop")]
public sealed class GroupMixedSendersInteropTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    [Theory]
    [MemberData(nameof(InteropPairs.Groups), MemberType = typeof(InteropPairs))]
    public void SendersOnBothSides_ShareOneGroup_WithMembersOnBothSides(DriverKind left, DriverKind right)
    {
        using var h = Start(left, right);
        var leftSender = h.CreateLeft();
        var rightSender = h.CreateRight();
        var leftMember = h.CreateLeft();
        var rightMember = h.CreateRight();
        var everyone = new[] { leftSender, rightSender, leftMember, rightMember };

        // Each sender uses its own distribution id for the group, as Signal apps do.
        var distributions = new Dictionary<InteropPeer, Guid> { [leftSender] = Guid.NewGuid(), [rightSender] = Guid.NewGuid() };
        foreach (var sender in distributions.Keys)
        {
            byte[] skdm = sender.Driver.SenderKeyDistribution(sender.Handle, distributions[sender]);
            foreach (var member in everyone.Where(p => p != sender))
            {
                member.Driver.ProcessSenderKeyDistribution(member.Handle, sender.Address, skdm);
            }
        }

        var sent = new List<(InteropPeer Sender, string Text, byte[] Body)>();
        for (int i = 0; i < 10; i++)
        {
            foreach (var sender in distributions.Keys)
            {
                string text = $"{sender.Kind} {i}";
                sent.Add((sender, text, sender.Driver.GroupEncrypt(sender.Handle, distributions[sender], Utf8(text))));
            }
        }

        int seed = 0;
        foreach (var member in everyone)
        {
            foreach (var (sender, text, body) in Shuffle(sent.Where(s => s.Sender != member), new Random(++seed)))
            {
                Assert.Equal(text, Text(member.Driver.GroupDecrypt(member.Handle, sender.Address, body)));
            }
        }

        foreach (var member in new[] { leftMember, rightMember })
        {
            foreach (var (sender, _, body) in sent.Where((_, i) => i % 7 == 0))
            {
                DriverAssert.Fails(DriverErrorKind.DuplicateMessage, () => member.Driver.GroupDecrypt(member.Handle, sender.Address, body));
            }
        }

        // A message attributed to the wrong sender has no sender key under that sender's name.
        var (realSender, _, someBody) = sent[0];
        var otherSender = distributions.Keys.Single(s => s != realSender);
        DriverAssert.Fails(DriverErrorKind.NoSenderKey, () => rightMember.Driver.GroupDecrypt(rightMember.Handle, otherSender.Address, someBody));
    }
}
