using SignalSharp;
using SignalSharp.Keys;
using SignalSharp.PreKeys;
using SignalSharp.Stores;
using SignalSharp.Wire;

namespace SignalSharp.Demo;

/// <summary>One device of one user: its identity, its stores, and what it publishes to the server.</summary>
internal sealed class Device
{
    private uint _nextKeyId = 1;

    public Device(string name, int deviceId)
    {
        Address = new ProtocolAddress(name, deviceId);
        Identity = KeyHelper.GenerateIdentityKeyPair();
        Store = new InMemorySignalProtocolStore(Identity, KeyHelper.GenerateRegistrationId());
    }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public InMemorySignalProtocolStore Store { get; }

    /// <summary>Creates fresh pre-keys, keeps the private halves, and returns the public bundle for the server.</summary>
    public async Task<PreKeyBundle> PublishBundleAsync()
    {
        uint id = _nextKeyId++;
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var oneTime = KeyHelper.GeneratePreKeys(id, 1)[0];
        using var signed = KeyHelper.GenerateSignedPreKey(Identity, id, now);
        using var kyber = KeyHelper.GenerateLastResortKyberPreKey(Identity, id, now);
        await Store.StorePreKeyAsync(id, oneTime);
        await Store.StoreSignedPreKeyAsync(id, signed);
        await Store.StoreKyberPreKeyAsync(id, kyber);
        return new PreKeyBundle(
            await Store.GetLocalRegistrationIdAsync(), Address.DeviceId,
            id, oneTime.PublicKey,
            id, signed.PublicKey, signed.Signature,
            Identity.IdentityKey,
            id, kyber.PublicKey, kyber.Signature);
    }

    /// <summary>Starts a session from a bundle fetched from the server (PQXDH).</summary>
    public ValueTask StartSessionAsync(ProtocolAddress remote, PreKeyBundle bundle)
        => new SessionBuilder(Store, remote).ProcessPreKeyBundleAsync(bundle);

    public async Task<Envelope> SendAsync(ProtocolAddress to, string text)
    {
        var message = await new SessionCipher(Store, Address, to).EncryptAsync(System.Text.Encoding.UTF8.GetBytes(text));
        return new Envelope(Address, to, message.Type, message.Serialize());
    }

    public async Task<string> ReceiveAsync(Envelope envelope)
    {
        var cipher = new SessionCipher(Store, Address, envelope.From);
        byte[] plaintext = envelope.Type == CiphertextMessageType.PreKey
            ? await cipher.DecryptAsync(PreKeySignalMessage.Deserialize(envelope.Body))
            : await cipher.DecryptAsync(SignalMessage.Deserialize(envelope.Body));
        return System.Text.Encoding.UTF8.GetString(plaintext);
    }
}

/// <summary>What the server relays: routing metadata and opaque ciphertext.</summary>
internal sealed record Envelope(ProtocolAddress From, ProtocolAddress To, CiphertextMessageType Type, byte[] Body);
