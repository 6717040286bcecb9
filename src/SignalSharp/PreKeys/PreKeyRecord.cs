using Google.Protobuf;
using SignalSharp;
using SignalSharp.Sessions.Protos;

namespace SignalSharp;

/// <summary>
/// A one-time EC pre-key: published in a bundle, used by at most one incoming session and then removed.
/// Owns its private key and wipes it on <see cref="Dispose"/>.
/// </summary>
public sealed class PreKeyRecord : IDisposable
{
    /// <summary>Creates a record for a key pair the caller hands over (the record now owns it).</summary>
    /// <param name="id">The pre-key id.</param>
    /// <param name="keyPair">The key pair.</param>
    public PreKeyRecord(uint id, EcKeyPair keyPair)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        Id = id;
        KeyPair = keyPair;
    }

    /// <summary>The pre-key id.</summary>
    public uint Id { get; }

    /// <summary>The key pair.</summary>
    public EcKeyPair KeyPair { get; }

    /// <summary>The public key as published.</summary>
    public EcPublicKey PublicKey => KeyPair.PublicKey;

    /// <summary>Serializes to SignalSharp's local format (protobuf {1 id, 2 public(33), 3 private(32)}).</summary>
    /// <returns>The record bytes; they contain the private key.</returns>
    public byte[] Serialize() => new PreKeyRecordStructure
    {
        Id = Id,
        PublicKey = ByteString.CopyFrom(KeyPair.PublicKey.Serialize()),
        PrivateKey = ByteString.CopyFrom(KeyPair.PrivateKey.Serialize()),
    }.ToByteArray();

    /// <summary>Parses a record written by <see cref="Serialize"/>.</summary>
    /// <param name="data">The record bytes.</param>
    /// <returns>The record.</returns>
    /// <exception cref="InvalidKeyException">The bytes are not a valid record.</exception>
    public static PreKeyRecord Deserialize(ReadOnlySpan<byte> data)
    {
        var s = ProtoParsing.Parse(PreKeyRecordStructure.Parser, data, (m, e) => new InvalidKeyException("pre-key record: " + m, e));
        return new PreKeyRecord(s.Id, RecordKeys.KeyPair(s.PublicKey, s.PrivateKey));
    }

    /// <inheritdoc />
    public void Dispose() => KeyPair.Dispose();
}
