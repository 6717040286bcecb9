namespace SignalSharp.Curves;

/// <summary>
/// The Edwards point of a Montgomery public key with sign 0 (y = (u − 1)/(u + 1), x even) and its encoding:
/// the part of XEdDSA verification that depends only on the key, so a key object can compute it once.
/// Public data only.
/// </summary>
internal sealed class EdwardsPublicKey
{
    private readonly byte[] _encoding;

    private EdwardsPublicKey(in EdwardsPoint point, byte[] encoding)
    {
        Point = point;
        _encoding = encoding;
    }

    /// <summary>The point with the even x-coordinate.</summary>
    internal EdwardsPoint Point { get; }

    /// <summary>Null when u = −1 or u lies on the twist (no Edwards point; every signature is invalid).</summary>
    internal static EdwardsPublicKey? TryFromMontgomery(ReadOnlySpan<byte> u32)
    {
        var encoding = new byte[32];
        return EdwardsDecoding.TryMontgomeryToEdwards(u32, negative: false, out EdwardsPoint point, encoding)
            ? new EdwardsPublicKey(point, encoding)
            : null;
    }

    /// <summary>Wraps a point decoded with sign <paramref name="negative"/> (and its encoding), normalising to sign 0.</summary>
    internal static EdwardsPublicKey FromSigned(in EdwardsPoint point, ReadOnlySpan<byte> encoding, bool negative)
    {
        byte[] copy = encoding.ToArray();
        copy[31] &= 0x7F;
        return new EdwardsPublicKey(negative ? point.Negate() : point, copy);
    }

    /// <summary>The point with the requested sign of x, and its 32-byte encoding (sign in bit 255).</summary>
    internal EdwardsPoint WithSign(bool negative, Span<byte> encoding)
    {
        _encoding.CopyTo(encoding);
        if (!negative)
        {
            return Point;
        }

        encoding[31] |= 0x80;
        return Point.Negate();
    }
}
