using Google.Protobuf;
using SignalSharp;
using SignalSharp.Crypto;
using SignalSharp.Sessions.Protos;

namespace SignalSharp;

/// <summary>
/// A signed Kyber (KEM) pre-key, signed by the identity key over its 1569-byte serialized public key. A
/// one-time key is deleted after its first use; a last-resort key stays and its stores reject replays.
/// Owns its secret key and wipes it on <see cref="Dispose"/>.
/// </summary>
public sealed class KyberPreKeyRecord : IDisposable
{
    private readonly byte[] _signature;

    /// <summary>Creates a record (the record now owns the key pair).</summary>
    /// <param name="id">The Kyber pre-key id.</param>
    /// <param name="timestamp">Creation time in milliseconds since the Unix epoch.</param>
    /// <param name="keyPair">The KEM key pair.</param>
    /// <param name="signature">The identity key's signature over the serialized KEM public key.</param>
    /// <param name="isLastResort">True for a last-resort key (kept after use), false for a one-time key.</param>
    public KyberPreKeyRecord(uint id, ulong timestamp, KemKeyPair keyPair, ReadOnlySpan<byte> signature, bool isLastResort)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        Id = id;
        Timestamp = timestamp;
        KeyPair = keyPair;
        _signature = signature.ToArray();
        IsLastResort = isLastResort;
    }

    /// <summary>The Kyber pre-key id.</summary>
    public uint Id { get; }

    /// <summary>Creation time in milliseconds since the Unix epoch.</summary>
    public ulong Timestamp { get; }

    /// <summary>The KEM key pair.</summary>
    public KemKeyPair KeyPair { get; }

    /// <summary>The public key as published.</summary>
    public KemPublicKey PublicKey => KeyPair.PublicKey;

    /// <summary>The identity key's signature over <see cref="PublicKey"/> (a copy).</summary>
    public byte[] Signature => (byte[])_signature.Clone();

    /// <summary>True for a last-resort key, false for a one-time key.</summary>
    public bool IsLastResort { get; }

    /// <summary>Generates a fresh Kyber1024 pre-key signed by <paramref name="identity"/>.</summary>
    /// <param name="identity">The local identity key pair.</param>
    /// <param name="id">The Kyber pre-key id.</param>
    /// <param name="timestamp">Creation time in milliseconds since the Unix epoch.</param>
    /// <param name="isLastResort">True for a last-resort key.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    /// <returns>The new record.</returns>
    public static KyberPreKeyRecord Generate(IdentityKeyPair identity, uint id, ulong timestamp, bool isLastResort, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var pair = KemKeyPair.Generate(KemType.Kyber1024, random);
        var signature = identity.PrivateKey.CalculateSignature(pair.PublicKey.Serialize(), random);
        return new KyberPreKeyRecord(id, timestamp, pair, signature, isLastResort);
    }

    /// <summary>Serializes to SignalSharp's local format (protobuf {1 id, 2 public, 3 secret, 4 signature, 5 timestamp, 6 last resort}).</summary>
    /// <returns>The record bytes; they contain the secret key.</returns>
    public byte[] Serialize() => new KyberPreKeyRecordStructure
    {
        Id = Id,
        PublicKey = ByteString.CopyFrom(KeyPair.PublicKey.Serialize()),
        PrivateKey = ByteString.CopyFrom(KeyPair.SecretKey.Serialize()),
        Signature = ByteString.CopyFrom(_signature),
        Timestamp = Timestamp,
        LastResort = IsLastResort,
    }.ToByteArray();

    /// <summary>Parses a record written by <see cref="Serialize"/>.</summary>
    /// <param name="data">The record bytes.</param>
    /// <returns>The record.</returns>
    /// <exception cref="InvalidKeyException">The bytes are not a valid record.</exception>
    public static KyberPreKeyRecord Deserialize(ReadOnlySpan<byte> data)
    {
        var s = ProtoParsing.Parse(KyberPreKeyRecordStructure.Parser, data, (m, e) => new InvalidKeyException("Kyber pre-key record: " + m, e));
        if (s.Signature.Length != Curves.XEdDsa.SignatureLength)
        {
            throw new InvalidKeyException($"Kyber pre-key record: the signature is not {Curves.XEdDsa.SignatureLength} bytes");
        }

        var pub = KemPublicKey.Deserialize(s.PublicKey.Span);
        var secret = KemSecretKey.Deserialize(s.PrivateKey.Span);
        return new KyberPreKeyRecord(s.Id, s.Timestamp, new KemKeyPair(pub, secret), s.Signature.Span, s.LastResort);
    }

    /// <inheritdoc />
    public void Dispose() => KeyPair.Dispose();
}
