using System.Text;

namespace SignalSharp.TestSupport.Interop;

/// <summary>
/// Two driver processes (left and right, possibly different implementations) and the shuttling between them:
/// bundle exchange, sending and delivering messages, shuffling and tampering. Clients get fresh ServiceId
/// (ACI UUID) names so that libsignal exercises the <c>addresses</c> field and tests never share state.
/// </summary>
public sealed class PairingHarness : IDisposable
{
    private readonly bool _ownsDrivers;
    private int _clients;
    private uint _nextPreKeyId = 100;

    private PairingHarness(InteropDriver left, InteropDriver right, bool ownsDrivers)
    {
        Left = left;
        Right = right;
        _ownsDrivers = ownsDrivers;
    }

    /// <summary>The left driver process.</summary>
    public InteropDriver Left { get; }

    /// <summary>The right driver process (a separate process even when of the same kind).</summary>
    public InteropDriver Right { get; }

    /// <summary>Starts both drivers.</summary>
    public static PairingHarness Start(DriverKind left, DriverKind right)
    {
        var l = InteropDriver.Start(left);
        try
        {
            return new PairingHarness(l, InteropDriver.Start(right), ownsDrivers: true);
        }
        catch
        {
            l.Dispose();
            throw;
        }
    }

    /// <summary>A harness over drivers the caller already started (and keeps owning unless <paramref name="ownsDrivers"/>).</summary>
    public static PairingHarness Over(InteropDriver left, InteropDriver right, bool ownsDrivers = false) => new(left, right, ownsDrivers);

    /// <summary>Wraps a client that already exists in <paramref name="driver"/> under <paramref name="handle"/>.</summary>
    public static InteropPeer Attach(InteropDriver driver, string handle, DriverAddress address) =>
        new(driver, handle, address, driver.Identity(handle).IdentityKey);

    /// <summary>A fresh ServiceId-style (ACI) user name.</summary>
    public static string NewUserName() => Guid.NewGuid().ToString();

    /// <summary>Creates a client in <paramref name="driver"/>; a linked device shares the identity of <paramref name="linkedTo"/>.</summary>
    public InteropPeer CreatePeer(InteropDriver driver, string? name = null, int device = 1, InteropPeer? linkedTo = null)
    {
        if (linkedTo is not null && linkedTo.Driver != driver)
        {
            throw new ArgumentException("a linked device must live in the driver of the device it links to", nameof(linkedTo));
        }

        name ??= linkedTo?.Address.Name ?? NewUserName();
        var address = new DriverAddress(name, device);
        string handle = $"c{Interlocked.Increment(ref _clients)}.{device}";
        byte[] identity = driver.Create(handle, address, linkedTo: linkedTo?.Handle);
        return new InteropPeer(driver, handle, address, identity);
    }

    /// <summary>Creates a client on the left driver.</summary>
    public InteropPeer CreateLeft(string? name = null, int device = 1, InteropPeer? linkedTo = null) => CreatePeer(Left, name, device, linkedTo);

    /// <summary>Creates a client on the right driver.</summary>
    public InteropPeer CreateRight(string? name = null, int device = 1, InteropPeer? linkedTo = null) => CreatePeer(Right, name, device, linkedTo);

    /// <summary>Fetches a fresh bundle of <paramref name="responder"/> (with a one-time pre-key if asked).</summary>
    public DriverBundle BundleOf(InteropPeer responder, bool oneTimePreKey = true) =>
        responder.Driver.Bundle(responder.Handle, oneTimePreKey ? _nextPreKeyId++ : null);

    /// <summary>The PQXDH handshake: <paramref name="initiator"/> processes a fresh bundle of <paramref name="responder"/>.</summary>
    public DriverBundle Handshake(InteropPeer initiator, InteropPeer responder, bool oneTimePreKey = true)
    {
        var bundle = BundleOf(responder, oneTimePreKey);
        initiator.Driver.ProcessBundle(initiator.Handle, responder.Address, bundle);
        return bundle;
    }

    /// <summary>
    /// Handshake then one round trip, so that both sides hold an acknowledged session (later messages are
    /// SignalMessages).
    /// </summary>
    public void Establish(InteropPeer initiator, InteropPeer responder, bool oneTimePreKey = true)
    {
        Handshake(initiator, responder, oneTimePreKey);
        RoundTrip(initiator, responder, "hello");
        RoundTrip(responder, initiator, "hello back");
    }

    /// <summary>Encrypts <paramref name="text"/> at <paramref name="from"/>, decrypts at <paramref name="to"/>, checks it.</summary>
    public DriverCiphertext RoundTrip(InteropPeer from, InteropPeer to, string text)
    {
        var message = from.EncryptFor(to, Encoding.UTF8.GetBytes(text));
        Deliver(from, to, message, text);
        return message;
    }

    /// <summary>Decrypts <paramref name="message"/> at <paramref name="to"/> and checks the plaintext.</summary>
    public static void Deliver(InteropPeer from, InteropPeer to, DriverCiphertext message, string expected)
    {
        string actual = Encoding.UTF8.GetString(to.DecryptFrom(from, message));
        if (actual != expected)
        {
            throw new InvalidOperationException($"{to} decrypted \"{actual}\" from {from}, expected \"{expected}\"");
        }
    }

    /// <summary>A copy of <paramref name="bytes"/> with bit 0 of each given offset flipped (negative offsets count from the end).</summary>
    public static byte[] Tamper(byte[] bytes, params int[] offsets)
    {
        var copy = (byte[])bytes.Clone();
        foreach (int offset in offsets)
        {
            copy[offset < 0 ? copy.Length + offset : offset] ^= 0x01;
        }

        return copy;
    }

    /// <summary>A Fisher–Yates shuffle with a seeded generator (tests print the seed they use).</summary>
    public static List<T> Shuffle<T>(IEnumerable<T> items, Random random)
    {
        var list = items.ToList();
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDrivers)
        {
            Left.Dispose();
            Right.Dispose();
        }
    }
}
