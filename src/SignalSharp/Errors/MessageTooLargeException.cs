using SignalSharp;

namespace SignalSharp;

/// <summary>
/// A received message is longer than <see cref="CiphertextMessage.MaxSerializedLength"/>: it is refused before
/// parsing, so its size cannot multiply the work of decryption.
/// </summary>
public class MessageTooLargeException : InvalidMessageException
{
    /// <summary>Creates the exception for a message of <paramref name="length"/> bytes.</summary>
    /// <param name="length">The length of the refused message.</param>
    public MessageTooLargeException(int length)
        : base($"message of {length} bytes exceeds the limit of {CiphertextMessage.MaxSerializedLength} bytes")
    {
        Length = length;
    }

    /// <summary>The length of the refused message in bytes.</summary>
    public int Length { get; }
}
