using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Crypto;

namespace SignalSharp;

/// <summary>
/// A message in an established session (CiphertextMessageType 2): version byte ‖ protobuf ‖ 8-byte MAC.
/// Instances exist only for bytes that parsed completely; the MAC is checked later, by the session that
/// holds the key, over the exact received bytes.
/// </summary>
public sealed class SignalMessage : CiphertextMessage
{
    /// <summary>Length of the truncated MAC.</summary>
    internal const int MacLength = 8;

    private const int StackMacInputLength = 1024;

    private readonly byte[] _serialized;
    // Read-only views: arrays this message owns, or the immutable fields of the protobuf it was parsed into
    // (so parsing does not copy them a second time).
    private readonly ReadOnlyMemory<byte> _ciphertext;
    private readonly ReadOnlyMemory<byte> _pqRatchet;
    private readonly ReadOnlyMemory<byte> _addresses;
    private readonly bool _hasAddresses;

    private SignalMessage(byte[] serialized, int version, EcPublicKey ratchetKey, uint counter, uint previousCounter, ReadOnlyMemory<byte> ciphertext, ReadOnlyMemory<byte> pqRatchet, ReadOnlyMemory<byte>? addresses)
    {
        _serialized = serialized;
        MessageVersion = version;
        RatchetKey = ratchetKey;
        Counter = counter;
        PreviousCounter = previousCounter;
        _ciphertext = ciphertext;
        _pqRatchet = pqRatchet;
        _addresses = addresses ?? default;
        _hasAddresses = addresses.HasValue;
    }

    /// <inheritdoc />
    public override CiphertextMessageType Type => CiphertextMessageType.Whisper;

    /// <summary>The message version (4 for PQXDH sessions).</summary>
    public int MessageVersion { get; }

    /// <summary>The sender's current ratchet public key.</summary>
    public EcPublicKey RatchetKey { get; }

    /// <summary>The index of the sending chain key that encrypted this message.</summary>
    public uint Counter { get; }

    /// <summary>The length of the sender's previous chain, as the sender reports it (not used when receiving).</summary>
    public uint PreviousCounter { get; }

    /// <summary>The AES-CBC body (a copy).</summary>
    public byte[] Ciphertext => _ciphertext.ToArray();

    /// <summary>The SPQR message carried in field 5 (a copy; empty when absent).</summary>
    public byte[] PqRatchet => _pqRatchet.ToArray();

    /// <summary>The 36-byte sender/recipient address binding (field 6), or null when absent.</summary>
    public byte[]? Addresses => _hasAddresses ? _addresses.ToArray() : null;

    internal ReadOnlySpan<byte> CiphertextSpan => _ciphertext.Span;

    internal ReadOnlySpan<byte> PqRatchetSpan => _pqRatchet.Span;

    internal ReadOnlySpan<byte> AddressesSpan => _addresses.Span;

    internal bool HasAddresses => _hasAddresses;

    /// <inheritdoc />
    public override byte[] Serialize() => (byte[])_serialized.Clone();

    internal ReadOnlySpan<byte> SerializedSpan => _serialized;

    /// <summary>Parses a SignalMessage.</summary>
    /// <param name="data">The received bytes.</param>
    /// <returns>The parsed message (its MAC not yet verified).</returns>
    /// <exception cref="MessageTooLargeException">The bytes are longer than <see cref="CiphertextMessage.MaxSerializedLength"/>.</exception>
    /// <exception cref="InvalidMessageException">The bytes are not a well-formed SignalMessage.</exception>
    /// <exception cref="LegacyMessageException">The version is older than 3.</exception>
    /// <exception cref="InvalidVersionException">The version is newer than this library speaks.</exception>
    public static SignalMessage Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxSerializedLength)
        {
            throw new MessageTooLargeException(data.Length);
        }

        if (data.Length < 1 + MacLength)
        {
            throw new InvalidMessageException("SignalMessage is too short");
        }

        int version = SignalSharp.MessageVersion.Decode(data[0]);
        var proto = ProtoParsing.Parse(
            Wire.Protos.SignalMessage.Parser,
            data[1..^MacLength],
            (m, e) => new InvalidMessageException("SignalMessage: " + m, e));
        if (!proto.HasRatchetKey || !proto.HasCounter || !proto.HasCiphertext)
        {
            throw new InvalidMessageException("SignalMessage lacks a required field");
        }

        EcPublicKey ratchetKey;
        try
        {
            ratchetKey = EcPublicKey.Deserialize(proto.RatchetKey.Span);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidMessageException("SignalMessage has an invalid ratchet key", e);
        }

        return new SignalMessage(
            data.ToArray(),
            version,
            ratchetKey,
            proto.Counter,
            proto.PreviousCounter,
            proto.Ciphertext.Memory,
            proto.HasPqRatchet ? proto.PqRatchet.Memory : ReadOnlyMemory<byte>.Empty,
            proto.HasAddresses ? (ReadOnlyMemory<byte>?)proto.Addresses.Memory : null);
    }

    /// <summary>Builds and MACs a message.</summary>
    internal static SignalMessage Create(
        int version,
        ReadOnlySpan<byte> macKey,
        EcPublicKey ratchetKey,
        uint counter,
        uint previousCounter,
        byte[] ciphertext,
        IdentityKey senderIdentity,
        IdentityKey receiverIdentity,
        byte[] pqRatchet,
        byte[]? addresses)
    {
        // The body is written field by field, in field-number order as protobuf writes it (every field of this
        // proto2 message is set explicitly, so all are present, zero counters included): a generated message
        // object and its ByteString wrappers cost ≈ 170 B, a tenth of a sent message's allocation. Parsing stays
        // with the generated code; SignalMessageEncodingTests pins the bytes against it.
        var ratchet = ratchetKey.SerializedMemory.Span;
        int bodyLength = BytesFieldLength(ratchet.Length)
            + 1 + Varint.Length(counter)
            + 1 + Varint.Length(previousCounter)
            + BytesFieldLength(ciphertext.Length)
            + (pqRatchet.Length > 0 ? BytesFieldLength(pqRatchet.Length) : 0)
            + (addresses is null ? 0 : BytesFieldLength(addresses.Length));
        var serialized = new byte[1 + bodyLength + MacLength];
        serialized[0] = SignalSharp.MessageVersion.Encode(version);
        var body = serialized.AsSpan(1, bodyLength);
        int at = WriteBytesField(body, 0, Wire.Protos.SignalMessage.RatchetKeyFieldNumber, ratchet);
        at = WriteVarintField(body, at, Wire.Protos.SignalMessage.CounterFieldNumber, counter);
        at = WriteVarintField(body, at, Wire.Protos.SignalMessage.PreviousCounterFieldNumber, previousCounter);
        at = WriteBytesField(body, at, Wire.Protos.SignalMessage.CiphertextFieldNumber, ciphertext);
        if (pqRatchet.Length > 0)
        {
            at = WriteBytesField(body, at, Wire.Protos.SignalMessage.PqRatchetFieldNumber, pqRatchet);
        }

        if (addresses is not null)
        {
            WriteBytesField(body, at, Wire.Protos.SignalMessage.AddressesFieldNumber, addresses);
        }

        Span<byte> mac = stackalloc byte[HmacSha256.TagSize];
        ComputeMac(senderIdentity, receiverIdentity, macKey, serialized.AsSpan(0, 1 + bodyLength), mac);
        mac[..MacLength].CopyTo(serialized.AsSpan(1 + bodyLength));
        return new SignalMessage(serialized, version, ratchetKey, counter, previousCounter, ciphertext, pqRatchet, addresses is null ? (ReadOnlyMemory<byte>?)null : addresses);
    }

    /// <summary>Checks the MAC over the received bytes (in constant time), without copying them.</summary>
    internal bool VerifyMac(IdentityKey senderIdentity, IdentityKey receiverIdentity, ReadOnlySpan<byte> macKey)
    {
        Span<byte> mac = stackalloc byte[HmacSha256.TagSize];
        ComputeMac(senderIdentity, receiverIdentity, macKey, _serialized.AsSpan(0, _serialized.Length - MacLength), mac);
        return HmacSha256.TagsEqual(mac, _serialized.AsSpan(_serialized.Length - MacLength));
    }

    private static void ComputeMac(IdentityKey sender, IdentityKey receiver, ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> versionAndBody, Span<byte> mac)
    {
        // The MAC input is public (keys and the sent bytes). Typical messages are assembled on the stack for the
        // allocation-free one-shot; longer ones are fed to an incremental MAC, so a large message is never copied
        // (it used to be, once per session tried).
        int length = (2 * EcPublicKey.SerializedLength) + versionAndBody.Length;
        Span<byte> keys = stackalloc byte[2 * EcPublicKey.SerializedLength];
        WriteSerialized(sender.PublicKey, keys);
        WriteSerialized(receiver.PublicKey, keys[EcPublicKey.SerializedLength..]);
        if (length > StackMacInputLength)
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
            hmac.AppendData(keys);
            hmac.AppendData(versionAndBody);
            hmac.GetHashAndReset(mac);
            return;
        }

        Span<byte> input = stackalloc byte[StackMacInputLength];
        input = input[..length];
        keys.CopyTo(input);
        versionAndBody.CopyTo(input[keys.Length..]);
        HmacSha256.Compute(macKey, input, mac);
    }

    private static int BytesFieldLength(int length) => 1 + Varint.Length((ulong)length) + length;

    private static int WriteVarintField(Span<byte> body, int at, int field, uint value)
    {
        body[at++] = (byte)(field << 3);
        return at + Varint.Write(value, body[at..]);
    }

    private static int WriteBytesField(Span<byte> body, int at, int field, ReadOnlySpan<byte> value)
    {
        body[at++] = (byte)((field << 3) | 2);
        at += Varint.Write((ulong)value.Length, body[at..]);
        value.CopyTo(body[at..]);
        return at + value.Length;
    }

    private static void WriteSerialized(EcPublicKey key, Span<byte> destination)
    {
        destination[0] = EcPublicKey.TypeByte;
        key.PublicKeyBytes.CopyTo(destination[1..EcPublicKey.SerializedLength]);
    }
}
