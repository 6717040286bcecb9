namespace SignalSharp;

/// <summary>
/// The message padding of Signal clients, applied to the content before it is encrypted so that ciphertext
/// lengths reveal only a size class: the content, a 0x80 terminator, then zeros up to one byte short of a multiple
/// of <see cref="BlockSize"/>. The missing byte is the cipher's: AES-CBC's PKCS#7 padding then adds exactly one
/// byte, so the encrypted body is a whole number of 160-byte blocks.
/// </summary>
public static class ContentPadding
{
    /// <summary>The size class: padded content plus the cipher's one padding byte is a multiple of this.</summary>
    public const int BlockSize = 160;

    /// <summary>The terminator that follows the content.</summary>
    public const byte Terminator = 0x80;

    /// <summary>The length of the padded form of content of <paramref name="contentLength"/> bytes.</summary>
    /// <param name="contentLength">The unpadded length, non-negative.</param>
    /// <returns>The smallest <c>160·k − 1</c> that holds the content and the terminator.</returns>
    public static int PaddedLength(int contentLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(contentLength);
        // content + terminator + the cipher's byte, rounded up to whole blocks, minus the cipher's byte.
        long blocks = ((long)contentLength + 2 + BlockSize - 1) / BlockSize;
        long padded = blocks * BlockSize - 1;
        if (padded > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(contentLength), contentLength, "content too long to pad");
        }

        return (int)padded;
    }

    /// <summary>Pads <paramref name="content"/>.</summary>
    /// <param name="content">The content (e.g. a serialized Content protobuf).</param>
    /// <returns>A new array of <see cref="PaddedLength"/> bytes.</returns>
    public static byte[] Pad(ReadOnlySpan<byte> content)
    {
        var padded = new byte[PaddedLength(content.Length)];
        content.CopyTo(padded);
        padded[content.Length] = Terminator;
        return padded;
    }

    /// <summary>
    /// Removes the padding: strips the trailing zeros and the 0x80 before them. Strict about the bytes (a missing
    /// terminator or a non-zero byte after it is an error), lenient about the total length, as Signal receivers are.
    /// The scan touches every byte the same way, so its timing does not depend on where the content ends.
    /// </summary>
    /// <param name="padded">Decrypted, padded content.</param>
    /// <returns>A new array holding the content.</returns>
    /// <exception cref="InvalidPaddingException">No terminator, or a non-zero byte after it.</exception>
    public static byte[] Unpad(ReadOnlySpan<byte> padded) => padded[..ContentLength(padded)].ToArray();

    /// <summary>The length of the content inside <paramref name="padded"/>, without copying.</summary>
    /// <param name="padded">Decrypted, padded content.</param>
    /// <returns>The index of the terminator.</returns>
    /// <exception cref="InvalidPaddingException">No terminator, or a non-zero byte after it.</exception>
    public static int ContentLength(ReadOnlySpan<byte> padded)
    {
        int seen = 0;
        int invalid = 0;
        int position = 0;
        for (int i = padded.Length - 1; i >= 0; i--)
        {
            int value = padded[i];
            int inPadding = seen ^ 1;
            int isTerminator = IsZero(value ^ Terminator);
            int isZero = IsZero(value);
            invalid |= inPadding & (isTerminator ^ 1) & (isZero ^ 1);
            int hit = inPadding & isTerminator;
            position ^= (position ^ i) & -hit;
            seen |= hit;
        }

        if ((seen ^ 1 | invalid) != 0)
        {
            throw new InvalidPaddingException("content padding is malformed");
        }

        return position;
    }

    /// <summary>1 when <paramref name="value"/> (0..255) is zero, else 0, without a branch.</summary>
    private static int IsZero(int value) => (int)((uint)(value - 1) >> 31);
}
