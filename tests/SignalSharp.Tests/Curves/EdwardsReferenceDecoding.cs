using SignalSharp.Curves;

namespace SignalSharp.Tests.Curves;

/// <summary>
/// RFC 8032 point decoding for the arithmetic tests. The library never decodes a bare Edwards point (XEdDSA
/// converts Montgomery keys and decodes R together with the key), so this lives with the tests.
/// </summary>
internal static class EdwardsReferenceDecoding
{
    /// <summary>RFC 8032 decoding; rejects y ≥ p and x = 0 with the sign bit set.</summary>
    internal static bool TryDecompress(ReadOnlySpan<byte> encoded, out EdwardsPoint point)
    {
        point = default;
        if (encoded.Length != 32 || !EdwardsDecoding.IsCanonicalFieldEncoding(encoded))
        {
            return false;
        }

        bool negative = (encoded[31] & 0x80) != 0;
        FieldElement y = FieldElement.FromBytes(encoded);
        if (!EdwardsDecoding.TryRecoverX(y, negative, out FieldElement x) || (negative && x.IsZero))
        {
            return false;
        }

        point = EdwardsPoint.FromAffine(x, y);
        return true;
    }
}
