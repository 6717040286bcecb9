using System.Text;
using SignalSharp;

namespace SignalSharp.Storage.Tests;

/// <summary>A device over any <see cref="ISignalProtocolStore"/>, with helpers to publish bundles and talk.</summary>
internal sealed class Device
{
    private uint _nextId;

    public Device(ProtocolAddress address, ISignalProtocolStore store, uint firstKeyId = 1)
    {
        Address = address;
        Store = store;
        _nextId = firstKeyId;
    }

    public ProtocolAddress Address { get; }

    /// <summary>The store; tests swap it when they reopen a database.</summary>
    public ISignalProtocolStore Store { get; set; }

    public async Task<PreKeyBundle> PublishBundleAsync(bool lastResortKyber = false)
    {
        uint id = _nextId++;
        using var identity = await Store.GetIdentityKeyPairAsync();
        using var signed = KeyHelper.GenerateSignedPreKey(identity, id, 1_700_000_000_000);
        using var kyber = lastResortKyber
            ? KeyHelper.GenerateLastResortKyberPreKey(identity, id, 1_700_000_000_000)
            : KeyHelper.GenerateKyberPreKeys(identity, id, 1, 1_700_000_000_000)[0];
        using var pre = KeyHelper.GeneratePreKeys(id, 1)[0];
        await Store.StoreSignedPreKeyAsync(id, signed);
        await Store.StoreKyberPreKeyAsync(id, kyber);
        await Store.StorePreKeyAsync(id, pre);
        return new PreKeyBundle(
            await Store.GetLocalRegistrationIdAsync(), Address.DeviceId, id, pre.PublicKey, id, signed.PublicKey, signed.Signature,
            identity.IdentityKey, id, kyber.PublicKey, kyber.Signature);
    }

    public async Task StartSessionWithAsync(Device remote)
        => await new SessionBuilder(Store, remote.Address).ProcessPreKeyBundleAsync(await remote.PublishBundleAsync());

    public async Task<CiphertextMessage> EncryptAsync(Device remote, string text)
        => await new SessionCipher(Store, Address, remote.Address).EncryptAsync(Encoding.UTF8.GetBytes(text));

    public async Task<string> DecryptAsync(Device remote, CiphertextMessage message)
    {
        var cipher = new SessionCipher(Store, Address, remote.Address);
        byte[] plaintext = message.Type == CiphertextMessageType.PreKey
            ? await cipher.DecryptAsync(PreKeySignalMessage.Deserialize(message.Serialize()))
            : await cipher.DecryptAsync(SignalMessage.Deserialize(message.Serialize()));
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>Sends <paramref name="text"/> to <paramref name="to"/> and returns what it decrypted.</summary>
    public async Task<string> SendAsync(Device to, string text) => await to.DecryptAsync(this, await EncryptAsync(to, text));
}
