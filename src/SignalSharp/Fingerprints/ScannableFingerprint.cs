using System.Security.Cryptography;
using Google.Protobuf;
using SignalSharp.Wire.Protos;

namespace SignalSharp.Fingerprints;

/// <summary>
/// The machine-readable safety number (shown as a QR code): a version number and the first 32 bytes of each
/// party's fingerprint hash, seen from the local side. Scanning the peer's code and calling
/// <see cref="CompareTo(ReadOnlySpan{byte})"/> verifies both identities at once.
/// </summary>
public sealed class ScannableFingerprint
{
    /// <summary>Bytes of each party's hash carried in the scannable form.</summary>
    internal const int ContentLength = 32;

    private readonly byte[] _localContent;
    private readonly byte[] _remoteContent;

    internal ScannableFingerprint(int version, ReadOnlySpan<byte> localContent, ReadOnlySpan<byte> remoteContent)
    {
        Version = version;
        _localContent = localContent.ToArray();
        _remoteContent = remoteContent.ToArray();
    }

    /// <summary>The scannable-format version (Signal apps use 2).</summary>
    public int Version { get; }

    /// <summary>Encodes the fingerprint as the protobuf <c>CombinedFingerprints</c> that goes into the QR code.</summary>
    /// <returns>A new array with the encoded fingerprint.</returns>
    public byte[] Serialize()
    {
        var combined = new CombinedFingerprints
        {
            Version = (uint)Version,
            LocalFingerprint = new LogicalFingerprint { Content = ByteString.CopyFrom(_localContent) },
            RemoteFingerprint = new LogicalFingerprint { Content = ByteString.CopyFrom(_remoteContent) },
        };
        return combined.ToByteArray();
    }

    /// <summary>
    /// Compares the peer's scanned fingerprint with this one. The peer's "local" part must equal our
    /// "remote" part and vice versa.
    /// </summary>
    /// <param name="scannedFingerprint">The bytes decoded from the peer's QR code (untrusted).</param>
    /// <returns>True when both identities match; false when either differs (a key or identifier mismatch).</returns>
    /// <exception cref="FingerprintVersionMismatchException">
    /// The scanned fingerprint uses another version: the peer runs a different app generation, not a different key.
    /// </exception>
    /// <exception cref="FingerprintParsingException">The scanned bytes are not a scannable fingerprint.</exception>
    public bool CompareTo(ReadOnlySpan<byte> scannedFingerprint)
    {
        CombinedFingerprints scanned;
        try
        {
            scanned = CombinedFingerprints.Parser.ParseFrom(scannedFingerprint);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FingerprintParsingException("scanned fingerprint is not a valid CombinedFingerprints message", e);
        }

        // A missing version decodes as 0, which no generator produces, so it is reported as a version mismatch.
        if (scanned.Version != (uint)Version)
        {
            throw new FingerprintVersionMismatchException((int)Math.Min(scanned.Version, int.MaxValue), Version);
        }

        if (scanned.LocalFingerprint is null || scanned.RemoteFingerprint is null)
        {
            throw new FingerprintParsingException("scanned fingerprint lacks one of its two parts");
        }

        // Evaluate both comparisons so that the time taken does not reveal which half differed.
        bool theirsMatch = CryptographicOperations.FixedTimeEquals(scanned.LocalFingerprint.Content.Span, _remoteContent);
        bool oursMatch = CryptographicOperations.FixedTimeEquals(scanned.RemoteFingerprint.Content.Span, _localContent);
        return theirsMatch & oursMatch;
    }

    /// <summary>Compares the peer's scanned fingerprint with this one.</summary>
    /// <param name="scannedFingerprint">The bytes decoded from the peer's QR code (untrusted).</param>
    /// <returns>True when both identities match.</returns>
    /// <exception cref="FingerprintVersionMismatchException">The scanned fingerprint uses another version.</exception>
    /// <exception cref="FingerprintParsingException">The scanned bytes are not a scannable fingerprint.</exception>
    public bool CompareTo(byte[] scannedFingerprint)
    {
        ArgumentNullException.ThrowIfNull(scannedFingerprint);
        return CompareTo((ReadOnlySpan<byte>)scannedFingerprint);
    }
}
