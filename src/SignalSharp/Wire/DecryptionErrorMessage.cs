using SignalSharp;
using SignalSharp.SealedSender;

namespace SignalSharp;

/// <summary>
/// A retry receipt: "I could not decrypt your message sent at <see cref="Timestamp"/> from device
/// <see cref="DeviceId"/>". For a 1:1 message it names the ratchet key the original was sent under, so the
/// sender can tell whether the failure concerns its current session. Wire form (tag order):
/// 1 ratchet key (optional), 2 timestamp (required), 3 device id (0 when absent). It travels inside a
/// <see cref="PlaintextContent"/>.
/// </summary>
public sealed class DecryptionErrorMessage
{
    private readonly byte[] _serialized;

    private DecryptionErrorMessage(byte[] serialized, EcPublicKey? ratchetKey, ulong timestamp, uint deviceId)
    {
        _serialized = serialized;
        RatchetKey = ratchetKey;
        Timestamp = timestamp;
        DeviceId = deviceId;
    }

    /// <summary>The sending ratchet key of the undecryptable message; null for a group message.</summary>
    public EcPublicKey? RatchetKey { get; }

    /// <summary>The timestamp of the original envelope (identifies the message to resend).</summary>
    public ulong Timestamp { get; }

    /// <summary>The device that sent the original.</summary>
    public uint DeviceId { get; }

    /// <summary>Builds a receipt directly.</summary>
    /// <param name="ratchetKey">The original's sending ratchet key, or null.</param>
    /// <param name="timestamp">The original envelope's timestamp.</param>
    /// <param name="deviceId">The original sender device.</param>
    /// <returns>The receipt.</returns>
    public static DecryptionErrorMessage Create(EcPublicKey? ratchetKey, ulong timestamp, uint deviceId)
    {
        var writer = new ProtoWriter(64);
        if (ratchetKey is not null)
        {
            writer.WriteBytes(1, ratchetKey.SerializedMemory.Span);
        }

        writer.WriteVarint(2, timestamp);
        writer.WriteVarint(3, deviceId);
        return new DecryptionErrorMessage(writer.ToArray(), ratchetKey, timestamp, deviceId);
    }

    /// <summary>
    /// Builds the receipt for a message that failed to decrypt. The original only has to parse (a message whose
    /// MAC fails still works). Whisper: its ratchet key; PreKey: the inner message's ratchet key; SenderKey: none
    /// (only the version byte and length are checked here: SignalSharp.Groups parses sender-key messages).
    /// </summary>
    /// <param name="original">The undecryptable message's bytes.</param>
    /// <param name="type">Its type (Whisper, PreKey or SenderKey).</param>
    /// <param name="timestamp">Its envelope timestamp.</param>
    /// <param name="originalSenderDeviceId">The device that sent it.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="InvalidMessageException">The original does not parse.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A Plaintext or unknown type.</exception>
    public static DecryptionErrorMessage ForOriginal(ReadOnlySpan<byte> original, CiphertextMessageType type, ulong timestamp, uint originalSenderDeviceId)
    {
        EcPublicKey? ratchetKey = type switch
        {
            CiphertextMessageType.Whisper => SignalMessage.Deserialize(original).RatchetKey,
            CiphertextMessageType.PreKey => PreKeySignalMessage.Deserialize(original).Message.RatchetKey,
            CiphertextMessageType.SenderKey => CheckSenderKeyShape(original),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "invalid argument: a retry receipt names a Whisper, PreKey or SenderKey message"),
        };
        return Create(ratchetKey, timestamp, originalSenderDeviceId);
    }

    /// <summary>Parses a receipt.</summary>
    /// <param name="serialized">The protobuf bytes.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="InvalidMessageException">Malformed, no timestamp, or a ratchet key that does not parse.</exception>
    public static DecryptionErrorMessage Deserialize(ReadOnlySpan<byte> serialized)
    {
        try
        {
            var reader = new ProtoReader(serialized);
            EcPublicKey? ratchetKey = null;
            ulong? timestamp = null;
            uint deviceId = 0;
            while (reader.TryReadTag(out int field, out int wireType))
            {
                switch (field)
                {
                    case 1:
                        ProtoReader.Expect(wireType, ProtoReader.LengthDelimited);
                        ratchetKey = EcPublicKey.Deserialize(reader.ReadBytes());
                        break;
                    case 2:
                        ProtoReader.Expect(wireType, ProtoReader.Varint);
                        timestamp = reader.ReadVarint();
                        break;
                    case 3:
                        ProtoReader.Expect(wireType, ProtoReader.Varint);
                        deviceId = (uint)reader.ReadVarint();
                        break;
                    default:
                        reader.Skip(wireType);
                        break;
                }
            }

            if (timestamp is null)
            {
                throw new InvalidMessageException("decryption error message lacks its timestamp");
            }

            return new DecryptionErrorMessage(serialized.ToArray(), ratchetKey, timestamp.Value, deviceId);
        }
        catch (FormatException e)
        {
            throw new InvalidMessageException("decryption error message does not parse: " + e.Message, e);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidMessageException("decryption error message carries a malformed ratchet key", e);
        }
    }

    /// <summary>The serialized receipt (a fresh array).</summary>
    /// <returns>The protobuf bytes.</returns>
    public byte[] Serialize() => (byte[])_serialized.Clone();

    internal ReadOnlySpan<byte> SerializedSpan => _serialized;

    private static EcPublicKey? CheckSenderKeyShape(ReadOnlySpan<byte> original)
    {
        // Version byte (high nibble 3) ‖ protobuf ‖ 64-byte signature.
        if (original.Length < 1 + 64 || (original[0] >> 4) != 3)
        {
            throw new InvalidMessageException("not a sender key message");
        }

        return null;
    }
}
