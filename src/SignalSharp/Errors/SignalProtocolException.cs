namespace SignalSharp;

/// <summary>
/// Root of every exception SignalSharp throws on purpose. Catching this type catches all protocol
/// failures; no exception from a dependency (protobuf, crypto provider) crosses the public API.
/// </summary>
/// <remarks>
/// <para>
/// The boundary between this hierarchy and <see cref="ArgumentException"/>: bytes that come from outside the
/// app — received messages, server responses, stored records — are untrusted, and everything that parses them
/// (<c>Deserialize</c>, <c>DecryptAsync</c>, <c>ProcessPreKeyBundleAsync</c>) reports bad content with a
/// <see cref="SignalProtocolException"/>. Values the app itself builds and hands to a constructor or factory (a
/// 31-byte raw key, a signature that is not 64 bytes, a record that does not belong to the identity it is paired
/// with) are programming errors and throw <see cref="ArgumentException"/> (or
/// <see cref="ArgumentNullException"/>/<see cref="ArgumentOutOfRangeException"/>).
/// </para>
/// <para>The direct subclasses each call for a different action:</para>
/// <list type="bullet">
/// <item><see cref="InvalidMessageException"/>: junk, a message of the wrong kind, or one that does not
/// authenticate. Drop it (and, for a 1:1 message, perhaps ask for a resend).</item>
/// <item><see cref="DuplicateMessageException"/>: a message already decrypted (a redelivery or a replay). Ignore it
/// silently.</item>
/// <item><see cref="InvalidKeyIdException"/>: a PreKey message names a pre-key this device no longer holds. The
/// sender built its session from an outdated bundle: ask it to start over (a retry receipt or session reset).</item>
/// <item><see cref="InvalidVersionException"/> (and <see cref="LegacyMessageException"/>): a well-formed message of
/// a protocol version this library does not speak. The sender is newer (or much older) than this app.</item>
/// <item><see cref="NoSessionException"/>, <see cref="UntrustedIdentityException"/>, and the key, signature,
/// certificate and sealed-sender exceptions.</item>
/// </list>
/// </remarks>
public class SignalProtocolException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public SignalProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public SignalProtocolException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// The remote device the failing operation worked with, when known: set by <see cref="SessionCipher"/>,
    /// <see cref="SessionBuilder"/> and the group cipher for every protocol exception that leaves them; null for an
    /// exception from a parser called on its own.
    /// </summary>
    public ProtocolAddress? Address { get; internal set; }

    /// <summary>
    /// Records <paramref name="address"/> on <paramref name="exception"/> unless it already names one. Returns false,
    /// so that it can run in an exception filter and leave the exception and its stack trace untouched.
    /// </summary>
    internal static bool Annotate(SignalProtocolException exception, ProtocolAddress address)
    {
        exception.Address ??= address;
        return false;
    }
}
