using SignalSharp;

namespace SignalSharp.Fingerprints;

/// <summary>
/// Computes safety numbers: per party, an iterated SHA-512 over its identity key and a stable identifier;
/// the two results form a 60-digit displayable number and a scannable code. Both parties obtain the same
/// displayable number for the same pair of identities.
/// </summary>
public sealed class NumericFingerprintGenerator
{
    /// <summary>The iteration count Signal apps use.</summary>
    public const int DefaultIterations = 5200;

    /// <summary>The smallest accepted iteration count.</summary>
    public const int MinIterations = 2;

    /// <summary>The largest accepted iteration count.</summary>
    public const int MaxIterations = 1_000_000;

    private const int SerializedKeyLength = 33;
    private const int HashLength = 64;
    private const int DigitsPerParty = 30;

    // Fingerprint format version, a big-endian 16-bit zero prefixed to the first hash input.
    private static ReadOnlySpan<byte> FormatVersion => [0x00, 0x00];

    private readonly int _iterations;

    /// <summary>Creates a generator.</summary>
    /// <param name="iterations">
    /// SHA-512 rounds per party, <see cref="MinIterations"/>..<see cref="MaxIterations"/>; both parties must use the
    /// same count (Signal uses <see cref="DefaultIterations"/>).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">The count is outside the accepted range.</exception>
    public NumericFingerprintGenerator(int iterations = DefaultIterations)
    {
        if (iterations is < MinIterations or > MaxIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"iterations must be {MinIterations}..{MaxIterations}");
        }

        _iterations = iterations;
    }

    /// <summary>The SHA-512 rounds per party.</summary>
    public int Iterations => _iterations;

    /// <summary>Computes the safety number between the local and the remote party.</summary>
    /// <param name="version">Scannable-format version (Signal apps use 2); it does not change the displayable number.</param>
    /// <param name="localStableIdentifier">The local party's stable identifier bytes (for Signal, its ServiceId binary).</param>
    /// <param name="localIdentityKey">The local party's identity key.</param>
    /// <param name="remoteStableIdentifier">The remote party's stable identifier bytes.</param>
    /// <param name="remoteIdentityKey">The remote party's identity key.</param>
    /// <returns>The fingerprint as the local party sees it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The version is negative.</exception>
    public Fingerprint CreateFor(
        int version,
        ReadOnlySpan<byte> localStableIdentifier,
        IdentityKey localIdentityKey,
        ReadOnlySpan<byte> remoteStableIdentifier,
        IdentityKey remoteIdentityKey)
    {
        ArgumentNullException.ThrowIfNull(localIdentityKey);
        ArgumentNullException.ThrowIfNull(remoteIdentityKey);
        return CreateFor(version, localStableIdentifier, localIdentityKey.Serialize(), remoteStableIdentifier, remoteIdentityKey.Serialize());
    }

    /// <summary>Computes the safety number from serialized (33-byte) identity keys.</summary>
    /// <param name="version">Scannable-format version.</param>
    /// <param name="localStableIdentifier">The local party's stable identifier.</param>
    /// <param name="localIdentityKey">The local party's serialized identity key (0x05 followed by 32 bytes).</param>
    /// <param name="remoteStableIdentifier">The remote party's stable identifier.</param>
    /// <param name="remoteIdentityKey">The remote party's serialized identity key.</param>
    /// <returns>The fingerprint as the local party sees it.</returns>
    internal Fingerprint CreateFor(
        int version,
        ReadOnlySpan<byte> localStableIdentifier,
        ReadOnlySpan<byte> localIdentityKey,
        ReadOnlySpan<byte> remoteStableIdentifier,
        ReadOnlySpan<byte> remoteIdentityKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        Span<byte> localHash = stackalloc byte[HashLength];
        Span<byte> remoteHash = stackalloc byte[HashLength];
        CheckKey(localIdentityKey);
        CheckKey(remoteIdentityKey);
        FingerprintHashChain.Compute(
            FormatVersion, localIdentityKey, localStableIdentifier, remoteIdentityKey, remoteStableIdentifier, _iterations, localHash, remoteHash);
        var displayable = new DisplayableFingerprint(ToDigits(localHash), ToDigits(remoteHash));
        var scannable = new ScannableFingerprint(
            version,
            localHash[..ScannableFingerprint.ContentLength],
            remoteHash[..ScannableFingerprint.ContentLength]);
        return new Fingerprint(displayable, scannable);
    }

    private static void CheckKey(ReadOnlySpan<byte> serializedKey)
    {
        if (serializedKey.Length != SerializedKeyLength)
        {
            throw new InvalidKeyException($"identity key must be {SerializedKeyLength} bytes, got {serializedKey.Length}");
        }
    }

    /// <summary>Six big-endian 40-bit chunks of the hash, each reduced mod 100000 and written as five digits.</summary>
    private static string ToDigits(ReadOnlySpan<byte> hash)
    {
        return string.Create(DigitsPerParty, hash.Slice(0, DigitsPerParty).ToArray(), static (chars, bytes) =>
        {
            for (int chunk = 0; chunk < 6; chunk++)
            {
                ulong value = 0;
                for (int i = 0; i < 5; i++)
                {
                    value = (value << 8) | bytes[(chunk * 5) + i];
                }

                value %= 100_000;
                for (int d = 4; d >= 0; d--)
                {
                    chars[(chunk * 5) + d] = (char)('0' + (int)(value % 10));
                    value /= 10;
                }
            }
        });
    }
}
