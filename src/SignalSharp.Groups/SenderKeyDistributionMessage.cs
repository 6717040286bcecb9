using Google.Protobuf;
using SignalSharp;
using Proto = SignalSharp.Wire.Protos;

namespace SignalSharp.Groups;

/// <summary>
/// Hands a sender's chain to one group member: version byte 0x33 ‖ protobuf {distribution id, chain id,
/// iteration, chain key, signing public key}. It carries a secret (the chain key at its iteration), so it must
/// only travel inside a pairwise (1:1) encrypted session. Immutable; <see cref="Serialize"/> returns exactly the
/// bytes that were parsed or produced.
/// </summary>
public sealed class SenderKeyDistributionMessage
{
    private const int DistributionIdLength = 16;

    private readonly byte[] _serialized;
    private readonly byte[] _chainKey;

    private SenderKeyDistributionMessage(byte[] serialized, byte messageVersion, Guid distributionId, uint chainId, uint iteration, byte[] chainKey, EcPublicKey signingKey)
    {
        _serialized = serialized;
        MessageVersion = messageVersion;
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        _chainKey = chainKey;
        SigningKey = signingKey;
    }

    /// <summary>The message version (3).</summary>
    public byte MessageVersion { get; }

    /// <summary>The group distribution id the sender chose.</summary>
    public Guid DistributionId { get; }

    /// <summary>The sender's chain id.</summary>
    public uint ChainId { get; }

    /// <summary>The chain iteration the carried chain key belongs to (the next message the sender will send).</summary>
    public uint Iteration { get; }

    /// <summary>The key that verifies the sender's group message signatures on this chain.</summary>
    public EcPublicKey SigningKey { get; }

    /// <summary>The 32-byte chain key (secret).</summary>
    internal ReadOnlySpan<byte> ChainKey => _chainKey;

    /// <summary>The wire bytes.</summary>
    /// <returns>A new array (it contains the chain key).</returns>
    public byte[] Serialize() => (byte[])_serialized.Clone();

    /// <summary>Parses a received distribution message.</summary>
    /// <param name="serialized">Untrusted bytes (as decrypted from the pairwise session).</param>
    /// <returns>The message.</returns>
    /// <exception cref="InvalidMessageException">The bytes are not a well-formed distribution message.</exception>
    /// <exception cref="LegacyMessageException">The message uses an older version.</exception>
    /// <exception cref="InvalidVersionException">The message uses an unknown newer version.</exception>
    public static SenderKeyDistributionMessage Parse(ReadOnlySpan<byte> serialized)
    {
        if (serialized.Length < 1)
        {
            throw new InvalidMessageException("sender key distribution message is empty");
        }

        byte version = SenderKeyMessageVersion.Check(serialized[0], "sender key distribution message");
        Proto.SenderKeyDistributionMessage proto;
        try
        {
            proto = Proto.SenderKeyDistributionMessage.Parser.ParseFrom(serialized[1..]);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidMessageException("sender key distribution message is not valid protobuf", e);
        }

        if (!proto.HasDistributionUuid || !proto.HasChainId || !proto.HasIteration || !proto.HasChainKey || !proto.HasSigningKey)
        {
            throw new InvalidMessageException("sender key distribution message lacks a required field");
        }

        if (proto.DistributionUuid.Length != DistributionIdLength)
        {
            throw new InvalidMessageException("sender key distribution message distribution id is not 16 bytes");
        }

        if (proto.ChainKey.Length != Chains.SenderChainKey.KeyLength)
        {
            throw new InvalidMessageException("sender key distribution message chain key is not 32 bytes");
        }

        if (proto.SigningKey.Length != 33)
        {
            throw new InvalidMessageException("sender key distribution message signing key is not 33 bytes");
        }

        EcPublicKey signingKey;
        try
        {
            signingKey = EcPublicKey.Deserialize(proto.SigningKey.Span);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidMessageException("sender key distribution message signing key is invalid", e);
        }

        var distributionId = new Guid(proto.DistributionUuid.Span, bigEndian: true);
        return new SenderKeyDistributionMessage(serialized.ToArray(), version, distributionId, proto.ChainId, proto.Iteration, proto.ChainKey.ToByteArray(), signingKey);
    }

    /// <summary>Builds a distribution message for the sender's current chain link.</summary>
    internal static SenderKeyDistributionMessage Create(Guid distributionId, uint chainId, uint iteration, ReadOnlySpan<byte> chainKey, EcPublicKey signingKey)
    {
        var proto = new Proto.SenderKeyDistributionMessage
        {
            DistributionUuid = ByteString.CopyFrom(SenderKeyMessage.DistributionIdBytes(distributionId)),
            ChainId = chainId,
            Iteration = iteration,
            ChainKey = ByteString.CopyFrom(chainKey),
            SigningKey = ByteString.CopyFrom(signingKey.Serialize()),
        };
        var serialized = new byte[1 + proto.CalculateSize()];
        serialized[0] = SenderKeyMessageVersion.VersionByte;
        proto.WriteTo(serialized.AsSpan(1));
        return new SenderKeyDistributionMessage(serialized, SenderKeyMessageVersion.Current, distributionId, chainId, iteration, chainKey.ToArray(), signingKey);
    }
}
