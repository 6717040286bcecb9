namespace SignalSharp;

/// <summary>
/// A message failed to parse, authenticate or decrypt: junk bytes, a message of another kind than the parser
/// expects, a truncated or forged message. Nothing was committed to any store; the right action is to drop it.
/// </summary>
/// <remarks>
/// A well-formed message of an unsupported version is an <see cref="InvalidVersionException"/>, a message already
/// decrypted a <see cref="DuplicateMessageException"/>, and one naming a pre-key that is not held an
/// <see cref="InvalidKeyIdException"/>; those are siblings of this type, not subclasses, because each calls for a
/// different action.
/// </remarks>
public class InvalidMessageException : SignalProtocolException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidMessageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidMessageException(string message, Exception innerException) : base(message, innerException) { }
}
