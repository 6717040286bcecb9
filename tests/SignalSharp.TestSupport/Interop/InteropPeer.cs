namespace SignalSharp.TestSupport.Interop;

/// <summary>One local client inside a driver process: its handle, address and identity key.</summary>
public sealed class InteropPeer
{
    internal InteropPeer(InteropDriver driver, string handle, DriverAddress address, byte[] identityKey)
    {
        Driver = driver;
        Handle = handle;
        Address = address;
        IdentityKey = identityKey;
    }

    /// <summary>The driver process hosting this client.</summary>
    public InteropDriver Driver { get; }

    /// <summary>The client handle inside its driver.</summary>
    public string Handle { get; }

    /// <summary>The client's protocol address.</summary>
    public DriverAddress Address { get; }

    /// <summary>The client's identity key (33 bytes, 0x05 prefix).</summary>
    public byte[] IdentityKey { get; }

    /// <summary>The implementation hosting this client.</summary>
    public DriverKind Kind => Driver.Kind;

    /// <summary>Encrypts for <paramref name="to"/>.</summary>
    public DriverCiphertext EncryptFor(InteropPeer to, byte[] plaintext) => Driver.Encrypt(Handle, to.Address, plaintext);

    /// <summary>Decrypts a message from <paramref name="from"/>.</summary>
    public byte[] DecryptFrom(InteropPeer from, DriverCiphertext message) => Driver.Decrypt(Handle, from.Address, message);

    /// <summary>Whether this client has a usable session with <paramref name="remote"/>.</summary>
    public bool HasSessionWith(InteropPeer remote) => Driver.HasSession(Handle, remote.Address);

    /// <inheritdoc />
    public override string ToString() => $"{Address} ({Kind})";
}
