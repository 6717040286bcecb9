namespace SignalSharp;

/// <summary>
/// Unencrypted content (type 8), used only to carry a <see cref="DecryptionErrorMessage"/> when no session can
/// encrypt it: <c>0xC0 ‖ Content{8: receipt} ‖ 0x80</c>. The trailing 0x80 is the content padding marker;
/// nothing follows it. Sent sealed (USMC type 8) or as an envelope of type 8.
/// </summary>
public sealed class PlaintextContent : CiphertextMessage
{
    /// <summary>The version byte that starts every serialized PlaintextContent.</summary>
    public const byte VersionByte = 0xC0;

    private const byte PaddingMarker = 0x80;
    private const byte DecryptionErrorTag = (8 << 3) | 2;

    private readonly byte[] _serialized;

    private PlaintextContent(byte[] serialized) => _serialized = serialized;

    /// <inheritdoc />
    public override CiphertextMessageType Type => CiphertextMessageType.Plaintext;

    /// <summary>Everything after the version byte (Content ‖ 0x80), a copy.</summary>
    public byte[] Body => _serialized[1..];

    /// <summary>Wraps a retry receipt.</summary>
    /// <param name="message">The receipt.</param>
    /// <returns>The content.</returns>
    public static PlaintextContent From(DecryptionErrorMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var dem = message.SerializedSpan;
        Span<byte> length = stackalloc byte[Varint.MaxLength];
        int lengthSize = Varint.Write((ulong)dem.Length, length);
        var serialized = new byte[1 + 1 + lengthSize + dem.Length + 1];
        serialized[0] = VersionByte;
        serialized[1] = DecryptionErrorTag;
        length[..lengthSize].CopyTo(serialized.AsSpan(2));
        dem.CopyTo(serialized.AsSpan(2 + lengthSize));
        serialized[^1] = PaddingMarker;
        return new PlaintextContent(serialized);
    }

    /// <summary>Parses a type-8 message; only the version byte is checked (as libsignal does).</summary>
    /// <param name="serialized">The bytes.</param>
    /// <returns>The content.</returns>
    /// <exception cref="InvalidMessageException">Empty, or the first byte is not 0xC0.</exception>
    public static PlaintextContent Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (serialized.IsEmpty)
        {
            throw new InvalidMessageException("plaintext content is too short");
        }

        if (serialized[0] != VersionByte)
        {
            throw new InvalidMessageException($"unrecognized message version <{serialized[0]}>");
        }

        return new PlaintextContent(serialized.ToArray());
    }

    /// <summary>The serialized content (a fresh array).</summary>
    /// <returns>0xC0 ‖ body.</returns>
    public override byte[] Serialize() => (byte[])_serialized.Clone();

    /// <summary>Reads the retry receipt this content carries.</summary>
    /// <returns>The receipt.</returns>
    /// <exception cref="InvalidMessageException">No well-formed receipt inside.</exception>
    public DecryptionErrorMessage DecryptionErrorMessage() => ExtractDecryptionErrorMessage(_serialized.AsSpan(1));

    /// <summary>
    /// Reads the receipt from a body (what follows 0xC0, for example a sealed USMC's content without it, or
    /// <see cref="Body"/>): it must end with 0x80 and hold Content field 8.
    /// </summary>
    /// <param name="body">Content ‖ 0x80.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="InvalidMessageException">No padding marker at the end, Content does not parse, or no field 8.</exception>
    public static DecryptionErrorMessage ExtractDecryptionErrorMessage(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body[^1] != PaddingMarker)
        {
            throw new InvalidMessageException("plaintext content does not end with the padding marker");
        }

        try
        {
            var reader = new SealedSender.ProtoReader(body[..^1]);
            ReadOnlySpan<byte> dem = default;
            bool found = false;
            while (reader.TryReadTag(out int field, out int wireType))
            {
                if (field == 8)
                {
                    SealedSender.ProtoReader.Expect(wireType, SealedSender.ProtoReader.LengthDelimited);
                    dem = reader.ReadBytes();
                    found = true;
                }
                else
                {
                    reader.Skip(wireType);
                }
            }

            if (!found)
            {
                throw new InvalidMessageException("plaintext content holds no decryption error message");
            }

            return SignalSharp.DecryptionErrorMessage.Deserialize(dem);
        }
        catch (FormatException e)
        {
            throw new InvalidMessageException("plaintext content does not parse: " + e.Message, e);
        }
    }
}
