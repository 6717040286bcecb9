using Google.Protobuf;
using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Sessions.Protos;

namespace SignalSharp;

/// <summary>
/// A signed EC pre-key: medium-term, signed by the identity key (XEdDSA over the 33-byte serialized public
/// key). Owns its private key and wipes it on <see cref="Dispose"/>.
/// </summary>
public sealed class SignedPreKeyRecord : IDisposable
{
    private readonly byte[] _signature;

    /// <summary>Creates a record (the record now owns the key pair).</summary>
    /// <param name="id">The signed pre-key id.</param>
    /// <param name="timestamp">Creation time in milliseconds since the Unix epoch.</param>
    /// <param name="keyPair">The key pair.</param>
    /// <param name="signature">The identity key's 64-byte signature over the serialized public key.</param>
    public SignedPreKeyRecord(uint id, ulong timestamp, EcKeyPair keyPair, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        Id = id;
        Timestamp = timestamp;
        KeyPair = keyPair;
        _signature = signature.ToArray();
    }

    /// <summary>The signed pre-key id.</summary>
    public uint Id { get; }

    /// <summary>Creation time in milliseconds since the Unix epoch.</summary>
    public ulong Timestamp { get; }

    /// <summary>The key pair.</summary>
    public EcKeyPair KeyPair { get; }

    /// <summary>The public key as published.</summary>
    public EcPublicKey PublicKey => KeyPair.PublicKey;

    /// <summary>The identity key's signature over <see cref="PublicKey"/> (a copy).</summary>
    public byte[] Signature => (byte[])_signature.Clone();

    /// <summary>Generates a fresh signed pre-key signed by <paramref name="identity"/>.</summary>
    /// <param name="identity">The local identity key pair.</param>
    /// <param name="id">The signed pre-key id.</param>
    /// <param name="timestamp">Creation time in milliseconds since the Unix epoch.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The new record.</returns>
    public static SignedPreKeyRecord Generate(IdentityKeyPair identity, uint id, ulong timestamp, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var pair = EcKeyPair.Generate(random);
        var signature = identity.PrivateKey.CalculateSignature(pair.PublicKey.Serialize(), random);
        return new SignedPreKeyRecord(id, timestamp, pair, signature);
    }

    /// <summary>Serializes to SignalSharp's local format (protobuf {1 id, 2 public, 3 private, 4 signature, 5 timestamp}).</summary>
    /// <returns>The record bytes; they contain the private key.</returns>
    public byte[] Serialize() => new SignedPreKeyRecordStructure
    {
        Id = Id,
        PublicKey = ByteString.CopyFrom(KeyPair.PublicKey.Serialize()),
        PrivateKey = ByteString.CopyFrom(KeyPair.PrivateKey.Serialize()),
        Signature = ByteString.CopyFrom(_signature),
        Timestamp = Timestamp,
    }.ToByteArray();

    /// <summary>Parses a record written by <see cref="Serialize"/>.</summary>
    /// <param name="data">The record bytes.</param>
    /// <returns>The record.</returns>
    /// <exception cref="InvalidKeyException">The bytes are not a valid record.</exception>
    public static SignedPreKeyRecord Deserialize(ReadOnlySpan<byte> data)
    {
        var s = ProtoParsing.Parse(SignedPreKeyRecordStructure.Parser, data, (m, e) => new InvalidKeyException("signed pre-key record: " + m, e));
        if (s.Signature.Length != Curves.XEdDsa.SignatureLength)
        {
            throw new InvalidKeyException($"signed pre-key record: the signature is not {Curves.XEdDsa.SignatureLength} bytes");
        }

        return new SignedPreKeyRecord(s.Id, s.Timestamp, RecordKeys.KeyPair(s.PublicKey, s.PrivateKey), s.Signature.Span);
    }

    /// <inheritdoc />
    public void Dispose() => KeyPair.Dispose();
}
