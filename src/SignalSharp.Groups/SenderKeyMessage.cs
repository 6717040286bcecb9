using Google.Protobuf;
using SignalSharp;
using SignalSharp.Crypto;
using Proto = SignalSharp.Wire.Protos;

namespace SignalSharp.Groups;

/// <summary>
/// A group message (libsignal CiphertextMessageType 7): version byte 0x33 ‖ protobuf {distribution id, chain id,
/// iteration, ciphertext} ‖ 64-byte XEdDSA signature by the sender's chain signing key over everything before
/// it. Immutable; <see cref="Serialize"/> returns exactly the bytes that were parsed or produced.
/// </summary>
public sealed class SenderKeyMessage
{
    /// <summary>The CiphertextMessageType number libsignal uses for sender-key messages.</summary>
    public const int CiphertextType = 7;

    internal const int SignatureLength = 64;

    private readonly byte[] _serialized;
    private readonly byte[] _ciphertext;

    private SenderKeyMessage(byte[] serialized, byte messageVersion, Guid distributionId, uint chainId, uint iteration, byte[] ciphertext)
    {
        _serialized = serialized;
        MessageVersion = messageVersion;
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        _ciphertext = ciphertext;
    }

    /// <summary>The message version (3).</summary>
    public byte MessageVersion { get; }

    /// <summary>The group distribution id the sender chose.</summary>
    public Guid DistributionId { get; }

    /// <summary>The sender's chain id.</summary>
    public uint ChainId { get; }

    /// <summary>The position of this message in the sender's chain.</summary>
    public uint Iteration { get; }

    /// <summary>The AES-256-CBC body.</summary>
    public ReadOnlyMemory<byte> Ciphertext => _ciphertext;

    /// <summary>The wire bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] Serialize() => (byte[])_serialized.Clone();

    /// <summary>Parses a received group message (the signature is checked later against the sender's chain).</summary>
    /// <param name="serialized">Untrusted bytes.</param>
    /// <returns>The message.</returns>
    /// <exception cref="InvalidMessageException">The bytes are not a well-formed sender-key message.</exception>
    /// <exception cref="LegacyMessageException">The message uses an older version.</exception>
    /// <exception cref="InvalidVersionException">The message uses an unknown newer version.</exception>
    public static SenderKeyMessage Parse(ReadOnlySpan<byte> serialized)
    {
        if (serialized.Length < 1 + SignatureLength)
        {
            throw new InvalidMessageException($"sender key message is too short ({serialized.Length} bytes)");
        }

        byte version = SenderKeyMessageVersion.Check(serialized[0], "sender key message");
        Proto.SenderKeyMessage proto;
        try
        {
            proto = Proto.SenderKeyMessage.Parser.ParseFrom(serialized[1..^SignatureLength]);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidMessageException("sender key message is not valid protobuf", e);
        }

        if (!proto.HasDistributionUuid || !proto.HasChainId || !proto.HasIteration || !proto.HasCiphertext)
        {
            throw new InvalidMessageException("sender key message lacks a required field");
        }

        if (proto.DistributionUuid.Length != 16)
        {
            throw new InvalidMessageException("sender key message distribution id is not 16 bytes");
        }

        var distributionId = new Guid(proto.DistributionUuid.Span, bigEndian: true);
        return new SenderKeyMessage(serialized.ToArray(), version, distributionId, proto.ChainId, proto.Iteration, proto.Ciphertext.ToByteArray());
    }

    /// <summary>Builds and signs a message.</summary>
    internal static SenderKeyMessage Create(Guid distributionId, uint chainId, uint iteration, byte[] ciphertext, EcPrivateKey signingKey, RandomSource random)
    {
        var proto = new Proto.SenderKeyMessage
        {
            DistributionUuid = ByteString.CopyFrom(DistributionIdBytes(distributionId)),
            ChainId = chainId,
            Iteration = iteration,
            Ciphertext = ByteString.CopyFrom(ciphertext),
        };
        int bodyLength = 1 + proto.CalculateSize();
        var serialized = new byte[bodyLength + SignatureLength];
        serialized[0] = SenderKeyMessageVersion.VersionByte;
        proto.WriteTo(serialized.AsSpan(1, bodyLength - 1));
        byte[] signature = signingKey.CalculateSignature(serialized.AsSpan(0, bodyLength), random);
        signature.CopyTo(serialized, bodyLength);
        return new SenderKeyMessage(serialized, SenderKeyMessageVersion.Current, distributionId, chainId, iteration, ciphertext);
    }

    /// <summary>Checks the signature over the received bytes (never a re-serialization).</summary>
    internal bool VerifySignature(EcPublicKey signingKey)
        => signingKey.VerifySignature(_serialized.AsSpan(0, _serialized.Length - SignatureLength), _serialized.AsSpan(_serialized.Length - SignatureLength));

    internal static byte[] DistributionIdBytes(Guid distributionId)
    {
        var bytes = new byte[16];
        distributionId.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes;
    }
}
