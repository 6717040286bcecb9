using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Storage.Codec;
using SignalSharp.Storage.Crypto;

namespace SignalSharp.Storage.Rows;

/// <summary>
/// One stored record in plaintext form: the sealed body of a database row and, unchanged, one entry of a backup.
/// The body repeats the fields the row key is derived from, so a backup can rebuild rows under another storage
/// key and a load can check the body belongs to the row it was asked for. <see cref="Value"/> is wiped on dispose.
/// </summary>
internal sealed class StoredEntry : IDisposable
{
    private const int GuidSize = 16;

    private StoredEntry(RecordKind kind, byte[] value)
    {
        Kind = kind;
        Value = value;
    }

    public RecordKind Kind { get; }

    /// <summary>The remote user's name (identity, session, sender key).</summary>
    public string Name { get; private init; } = string.Empty;

    /// <summary>The remote device id (session, sender key).</summary>
    public int DeviceId { get; private init; }

    /// <summary>The registration id (local), pre-key id (pre-keys), or Kyber pre-key id (Kyber use).</summary>
    public uint Id { get; private init; }

    /// <summary>The signed pre-key id of a Kyber use.</summary>
    public uint SecondId { get; private init; }

    /// <summary>Whether a Kyber pre-key is last-resort.</summary>
    public bool LastResort { get; private init; }

    /// <summary>The distribution id of a sender key.</summary>
    public Guid DistributionId { get; private init; }

    /// <summary>The serialized key, key pair or record (the base key of a Kyber use).</summary>
    public byte[] Value { get; }

    public static StoredEntry Local(uint registrationId, byte[] identityKeyPair) => new(RecordKind.Local, identityKeyPair) { Id = registrationId };

    public static StoredEntry Identity(string name, byte[] identityKey) => new(RecordKind.Identity, identityKey) { Name = name };

    public static StoredEntry Session(string name, int deviceId, byte[] record) => new(RecordKind.Session, record) { Name = name, DeviceId = deviceId };

    public static StoredEntry PreKey(uint id, byte[] record) => new(RecordKind.PreKey, record) { Id = id };

    public static StoredEntry SignedPreKey(uint id, byte[] record) => new(RecordKind.SignedPreKey, record) { Id = id };

    public static StoredEntry KyberPreKey(uint id, bool lastResort, byte[] record) => new(RecordKind.KyberPreKey, record) { Id = id, LastResort = lastResort };

    public static StoredEntry KyberPreKeyUse(uint kyberId, uint signedId, byte[] baseKey) => new(RecordKind.KyberPreKeyUse, baseKey) { Id = kyberId, SecondId = signedId };

    public static StoredEntry SenderKey(string name, int deviceId, Guid distributionId, byte[] record)
        => new(RecordKind.SenderKey, record) { Name = name, DeviceId = deviceId, DistributionId = distributionId };

    /// <summary>The row key of a user's name (identity rows; the device-listing group of session rows).</summary>
    public static byte[] NameTag(RowSealer sealer, string name) => sealer.Tag("name", Utf8.Strict.GetBytes(name));

    /// <summary>The row key of a pre-key of any kind: its id, big-endian.</summary>
    public static byte[] IdKey(uint id)
    {
        var key = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(key, id);
        return key;
    }

    /// <summary>The row key of a session: the name tag followed by the device id.</summary>
    public static byte[] SessionKey(RowSealer sealer, string name, int deviceId)
    {
        byte[] tag = NameTag(sealer, name);
        var key = new byte[tag.Length + 4];
        tag.CopyTo(key, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(tag.Length), deviceId);
        return key;
    }

    /// <summary>The row key of a Kyber use: a tag of the whole triple.</summary>
    public static byte[] KyberUseKey(RowSealer sealer, uint kyberId, uint signedId, ReadOnlySpan<byte> baseKey)
    {
        using var w = new FieldWriter();
        w.U32(kyberId);
        w.U32(signedId);
        w.Bytes(baseKey);
        return sealer.Tag("kyber-use", w.Written);
    }

    /// <summary>The row key of a sender key: a tag of (name, device, distribution id).</summary>
    public static byte[] SenderKeyKey(RowSealer sealer, string name, int deviceId, Guid distributionId)
    {
        using var w = new FieldWriter();
        w.String(name);
        w.I32(deviceId);
        w.Raw(distributionId.ToByteArray(bigEndian: true));
        return sealer.Tag("sender-key", w.Written);
    }

    /// <summary>This entry's row key and, for sessions, its group (the name tag, for listing devices).</summary>
    public (byte[] Key, byte[]? Group) RowKey(RowSealer sealer) => Kind switch
    {
        RecordKind.Local => ([0], null),
        RecordKind.Identity => (NameTag(sealer, Name), null),
        RecordKind.Session => (SessionKey(sealer, Name, DeviceId), NameTag(sealer, Name)),
        RecordKind.PreKey or RecordKind.SignedPreKey or RecordKind.KyberPreKey => (IdKey(Id), null),
        RecordKind.KyberPreKeyUse => (KyberUseKey(sealer, Id, SecondId, Value), null),
        RecordKind.SenderKey => (SenderKeyKey(sealer, Name, DeviceId, DistributionId), null),
        _ => throw new InvalidOperationException($"unknown record kind {Kind}"),
    };

    /// <summary>The body: the fields of this kind, then the value. The caller wipes it.</summary>
    public byte[] Encode()
    {
        using var w = new FieldWriter(Value.Length + 64);
        switch (Kind)
        {
            case RecordKind.Local:
            case RecordKind.PreKey:
            case RecordKind.SignedPreKey:
                w.U32(Id);
                break;
            case RecordKind.Identity:
                w.String(Name);
                break;
            case RecordKind.Session:
                w.String(Name);
                w.I32(DeviceId);
                break;
            case RecordKind.KyberPreKey:
                w.U32(Id);
                w.U8(LastResort ? (byte)1 : (byte)0);
                break;
            case RecordKind.KyberPreKeyUse:
                w.U32(Id);
                w.U32(SecondId);
                break;
            case RecordKind.SenderKey:
                w.String(Name);
                w.I32(DeviceId);
                w.Raw(DistributionId.ToByteArray(bigEndian: true));
                break;
            default:
                throw new InvalidOperationException($"unknown record kind {Kind}");
        }

        w.Bytes(Value);
        return w.ToArray();
    }

    /// <summary>Parses a body of <paramref name="kind"/>; malformed input raises <paramref name="error"/>'s exception.</summary>
    public static StoredEntry Decode(byte kind, ReadOnlySpan<byte> body, Func<string, Exception> error)
    {
        var r = new FieldReader(body, error);
        StoredEntry entry;
        switch ((RecordKind)kind)
        {
            case RecordKind.Local:
            {
                uint id = r.U32();
                entry = Local(id, r.Bytes().ToArray());
                break;
            }

            case RecordKind.Identity:
            {
                string name = r.String();
                entry = Identity(name, r.Bytes().ToArray());
                break;
            }

            case RecordKind.Session:
            {
                string name = r.String();
                int device = r.I32();
                entry = Session(name, device, r.Bytes().ToArray());
                break;
            }

            case RecordKind.PreKey:
            {
                uint id = r.U32();
                entry = PreKey(id, r.Bytes().ToArray());
                break;
            }

            case RecordKind.SignedPreKey:
            {
                uint id = r.U32();
                entry = SignedPreKey(id, r.Bytes().ToArray());
                break;
            }

            case RecordKind.KyberPreKey:
            {
                uint id = r.U32();
                byte flag = r.U8();
                if (flag > 1)
                {
                    throw error("a Kyber pre-key's last-resort flag is not 0 or 1");
                }

                entry = KyberPreKey(id, flag == 1, r.Bytes().ToArray());
                break;
            }

            case RecordKind.KyberPreKeyUse:
            {
                uint kyberId = r.U32();
                uint signedId = r.U32();
                entry = KyberPreKeyUse(kyberId, signedId, r.Bytes().ToArray());
                break;
            }

            case RecordKind.SenderKey:
            {
                string name = r.String();
                int device = r.I32();
                var distributionId = new Guid(r.Raw(GuidSize), bigEndian: true);
                entry = SenderKey(name, device, distributionId, r.Bytes().ToArray());
                break;
            }

            default:
                throw error($"unknown record kind {kind}");
        }

        try
        {
            r.EnsureEnd();
            return entry;
        }
        catch
        {
            entry.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks that the value parses as the type this kind holds and that the names and ids are in range, so that a
    /// backup cannot plant a record the library would later fail on.
    /// </summary>
    public void Validate(Func<string, Exception> error)
    {
        if (Kind is RecordKind.Identity or RecordKind.Session or RecordKind.SenderKey && Name.Length == 0)
        {
            throw error($"a {Kind} entry has an empty name");
        }

        if (Kind is RecordKind.Session or RecordKind.SenderKey && DeviceId is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
        {
            throw error($"a {Kind} entry has device id {DeviceId}, outside {ProtocolAddress.MinDeviceId}..{ProtocolAddress.MaxDeviceId}");
        }

        try
        {
            switch (Kind)
            {
                case RecordKind.Local:
                    IdentityKeyPair.Deserialize(Value).Dispose();
                    break;
                case RecordKind.Identity:
                    _ = IdentityKey.Deserialize(Value);
                    break;
                case RecordKind.Session:
                    _ = SessionRecord.Deserialize(Value);
                    break;
                case RecordKind.PreKey:
                    PreKeyRecord.Deserialize(Value).Dispose();
                    break;
                case RecordKind.SignedPreKey:
                    SignedPreKeyRecord.Deserialize(Value).Dispose();
                    break;
                case RecordKind.KyberPreKey:
                    using (var record = KyberPreKeyRecord.Deserialize(Value))
                    {
                        if (record.IsLastResort != LastResort)
                        {
                            throw error("a Kyber pre-key's last-resort flag disagrees with its record");
                        }
                    }

                    break;
                case RecordKind.KyberPreKeyUse:
                    _ = EcPublicKey.Deserialize(Value);
                    break;
                case RecordKind.SenderKey:
                    SenderKeyRecord.Deserialize(Value).Dispose();
                    break;
            }
        }
        catch (SignalProtocolException e) when (e is not StorageException)
        {
            throw error($"a {Kind} entry does not parse: {e.Message}");
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(Value);
}
