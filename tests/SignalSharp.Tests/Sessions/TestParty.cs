using SignalSharp;

namespace SignalSharp.Tests.Sessions;

/// <summary>A device with in-memory stores, a controllable clock, and helpers to publish bundles and talk.</summary>
internal sealed class TestParty
{
    private uint _nextId = 1;

    public TestParty(string name, int deviceId = 1, IdentityKeyPair? identity = null)
    {
        Address = new ProtocolAddress(name, deviceId);
        Identity = identity ?? KeyHelper.GenerateIdentityKeyPair();
        RegistrationId = KeyHelper.GenerateRegistrationId();
        Store = new InMemorySignalProtocolStore(Identity, RegistrationId);
    }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public InMemorySignalProtocolStore Store { get; }

    public ManualClock Clock { get; } = new();

    /// <summary>Generates, stores and returns a bundle (with a one-time pre-key unless told otherwise).</summary>
    public async Task<PreKeyBundle> PublishBundleAsync(bool withOneTimePreKey = true, bool lastResortKyber = false)
    {
        uint id = _nextId++;
        using var signed = KeyHelper.GenerateSignedPreKey(Identity, id, 1_700_000_000_000);
        using var kyber = lastResortKyber
            ? KeyHelper.GenerateLastResortKyberPreKey(Identity, id, 1_700_000_000_000)
            : KeyHelper.GenerateKyberPreKeys(Identity, id, 1, 1_700_000_000_000)[0];
        await Store.StoreSignedPreKeyAsync(id, signed);
        await Store.StoreKyberPreKeyAsync(id, kyber);
        EcPublicKey? oneTime = null;
        if (withOneTimePreKey)
        {
            using var pre = KeyHelper.GeneratePreKeys(id, 1)[0];
            await Store.StorePreKeyAsync(id, pre);
            oneTime = pre.PublicKey;
        }

        return new PreKeyBundle(
            RegistrationId,
            Address.DeviceId,
            withOneTimePreKey ? id : null,
            oneTime,
            id,
            signed.PublicKey,
            signed.Signature,
            Identity.IdentityKey,
            id,
            kyber.PublicKey,
            kyber.Signature);
    }

    public SessionCipher CipherFor(TestParty remote) => new(Store, Address, remote.Address, Clock);

    public SessionBuilder BuilderFor(TestParty remote) => new(Store, remote.Address, Clock);

    public async Task StartSessionWithAsync(TestParty remote, bool withOneTimePreKey = true)
        => await BuilderFor(remote).ProcessPreKeyBundleAsync(await remote.PublishBundleAsync(withOneTimePreKey));

    public async Task<CiphertextMessage> EncryptAsync(TestParty remote, string text)
        => await CipherFor(remote).EncryptAsync(System.Text.Encoding.UTF8.GetBytes(text));

    public async Task<string> DecryptAsync(TestParty remote, CiphertextMessage message)
        => System.Text.Encoding.UTF8.GetString(await DecryptBytesAsync(remote, message.Type, message.Serialize()));

    public async Task<byte[]> DecryptBytesAsync(TestParty remote, CiphertextMessageType type, byte[] body)
    {
        var cipher = CipherFor(remote);
        return type == CiphertextMessageType.PreKey
            ? await cipher.DecryptAsync(PreKeySignalMessage.Deserialize(body))
            : await cipher.DecryptAsync(SignalMessage.Deserialize(body));
    }

    /// <summary>Everything stored about <paramref name="remote"/> plus the pre-key state, as bytes, to compare before/after.</summary>
    public async Task<string> SnapshotAsync(TestParty remote, params uint[] preKeyIds)
    {
        var parts = new List<string>();
        var record = await Store.LoadSessionAsync(remote.Address);
        parts.Add(record is null ? "no-session" : Convert.ToHexString(record.Serialize()));
        var identity = await Store.GetIdentityAsync(remote.Address);
        parts.Add(identity is null ? "no-identity" : Convert.ToHexString(identity.Serialize()));
        foreach (var id in preKeyIds)
        {
            using var pre = await Store.LoadPreKeyAsync(id);
            parts.Add(pre is null ? "-" : Convert.ToHexString(pre.Serialize()));
            using var kyber = await Store.LoadKyberPreKeyAsync(id);
            parts.Add(kyber is null ? "-" : Convert.ToHexString(kyber.Serialize()));
            using var signed = await Store.LoadSignedPreKeyAsync(id);
            parts.Add(signed is null ? "-" : Convert.ToHexString(signed.Serialize()));
        }

        return string.Join("|", parts);
    }
}

/// <summary>A clock tests move by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
