namespace SignalSharp.Curves;

/// <summary>
/// Variable-time point decoding on public data: RFC 8032 decompression and the Montgomery-u → Edwards
/// conversion that XEdDSA verification and the PQXDH base-key check need.
/// </summary>
internal static class EdwardsDecoding
{
    /// <summary>
    /// r = sqrt(u / v) when it exists (RFC 9496 §4.2 SQRT_RATIO_M1 without the non-square branch):
    /// r = u·v³·(u·v⁷)^((p − 5) / 8), fixed up by √−1.
    /// </summary>
    internal static bool TrySqrtRatio(in FieldElement u, in FieldElement v, out FieldElement r)
    {
        PrepareSqrtRatio(u, v, out FieldElement uv3, out FieldElement uv7);
        return FinishSqrtRatio(u, v, uv3, FieldElement.Pow22523(uv7), out r);
    }

    /// <summary>The inputs of SQRT_RATIO_M1's exponentiation: u·v³ and u·v⁷.</summary>
    private static void PrepareSqrtRatio(in FieldElement u, in FieldElement v, out FieldElement uv3, out FieldElement uv7)
    {
        FieldElement v3 = FieldElement.Mul(FieldElement.Square(v), v);
        uv3 = FieldElement.Mul(u, v3);
        uv7 = FieldElement.Mul(uv3, FieldElement.Square(FieldElement.Square(v)));
    }

    /// <summary>r = u·v³·(u·v⁷)^((p − 5)/8), corrected by √−1 or rejected.</summary>
    private static bool FinishSqrtRatio(in FieldElement u, in FieldElement v, in FieldElement uv3, in FieldElement power, out FieldElement r)
    {
        r = FieldElement.Mul(uv3, power);
        FieldElement check = FieldElement.Mul(v, FieldElement.Square(r));
        if (check.ValueEquals(u))
        {
            return true;
        }

        if (check.ValueEquals(FieldElement.Negate(u)))
        {
            r = FieldElement.Mul(r, EdwardsConstants.SqrtMinusOne);
            return true;
        }

        return false;
    }

    /// <summary>x with x² = (y² − 1) / (d·y² + 1) and the requested parity; false when no such x exists.</summary>
    internal static bool TryRecoverX(in FieldElement y, bool negative, out FieldElement x)
    {
        FieldElement yy = FieldElement.Square(y);
        FieldElement u = FieldElement.Sub(yy, FieldElement.One);
        FieldElement v = FieldElement.Add(FieldElement.Mul(yy, EdwardsConstants.D), FieldElement.One);
        if (!TrySqrtRatio(u, v, out x))
        {
            return false;
        }

        if (x.IsNegative != negative)
        {
            x = FieldElement.Negate(x);
        }

        return true;
    }

    /// <summary>True when the low 255 bits of <paramref name="s"/> encode a value below p = 2^255 − 19.</summary>
    internal static bool IsCanonicalFieldEncoding(ReadOnlySpan<byte> s)
    {
        // Values ≥ p have bytes 1..30 all 0xFF, byte 31 (without bit 7) 0x7F and byte 0 ≥ 0xED.
        if ((s[31] & 0x7F) != 0x7F || s[0] < 0xED)
        {
            return true;
        }

        for (int i = 1; i < 31; i++)
        {
            if (s[i] != 0xFF)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Converts a Montgomery u-coordinate (bit 255 ignored, values ≥ p reduced) to the Edwards point with
    /// y = (u − 1)/(u + 1) and the given sign of x. Writes the 32-byte encoding (canonical y with the sign in
    /// bit 255). Fails for u = −1 and for u on the twist (no x exists).
    /// </summary>
    /// <remarks>
    /// One exponentiation yields both 1/(u + 1) and x: with N = u − 1, D = u + 1, U = N² − D²,
    /// V = d·N² + D² and t = 1/√(U·V³·D²), x = t·U·V·D and 1/D = t²·U·V³·D.
    /// </remarks>
    internal static bool TryMontgomeryToEdwards(ReadOnlySpan<byte> u32, bool negative, out EdwardsPoint point, Span<byte> encoded)
    {
        point = default;
        FieldElement u = FieldElement.FromBytes(u32);
        FieldElement n = FieldElement.Sub(u, FieldElement.One);
        FieldElement d = FieldElement.Add(u, FieldElement.One);
        FieldElement y;
        FieldElement x;
        if (u.IsZero)
        {
            // y = −1, x = 0: the point of order 2.
            y = FieldElement.Negate(FieldElement.One);
            x = FieldElement.Zero;
        }
        else
        {
            if (d.IsZero)
            {
                return false;
            }

            FieldElement nn = FieldElement.Square(n);
            FieldElement dd = FieldElement.Square(d);
            FieldElement bigU = FieldElement.Sub(nn, dd);
            FieldElement bigV = FieldElement.Add(FieldElement.Mul(nn, EdwardsConstants.D), dd);
            FieldElement v3 = FieldElement.Mul(FieldElement.Square(bigV), bigV);
            FieldElement uv3 = FieldElement.Mul(bigU, v3);
            FieldElement z = FieldElement.Mul(uv3, dd);
            if (!TrySqrtRatio(FieldElement.One, z, out FieldElement t))
            {
                return false;
            }

            x = FieldElement.Mul(FieldElement.Mul(t, FieldElement.Mul(bigU, bigV)), d);
            FieldElement dInv = FieldElement.Mul(FieldElement.Mul(FieldElement.Square(t), uv3), d);
            y = FieldElement.Mul(n, dInv);
            if (x.IsNegative != negative)
            {
                x = FieldElement.Negate(x);
            }
        }

        y.ToBytes(encoded);
        if (negative)
        {
            encoded[31] |= 0x80;
        }

        point = EdwardsPoint.FromAffine(x, y);
        return true;
    }

    /// <summary>
    /// <see cref="TryMontgomeryToEdwards"/> for a public key together with RFC 8032 decoding of a signature's R,
    /// sharing one 4-way exponentiation (AVX2). Returns false when the key has no Edwards point, when R is not
    /// a canonical encoding of a curve point, or when the 4-way path does not apply (then <paramref name="handled"/>
    /// is false and the caller uses the scalar path).
    /// </summary>
    internal static bool TryDecodeKeyAndR(
        ReadOnlySpan<byte> u32, bool negative, ReadOnlySpan<byte> r32, out EdwardsPoint pointA, Span<byte> encodedA, out EdwardsPoint pointR, out bool handled)
    {
        pointA = default;
        pointR = default;
        handled = false;
        FieldElement u = FieldElement.FromBytes(u32);
        FieldElement n = FieldElement.Sub(u, FieldElement.One);
        FieldElement d = FieldElement.Add(u, FieldElement.One);
        if (!FieldElement4.IsSupported || u.IsZero || d.IsZero)
        {
            return false;
        }

        handled = true;
        if (!IsCanonicalFieldEncoding(r32))
        {
            return false;
        }

        // Key: t = 1/√(U·V³·D²) as SQRT_RATIO(1, z) (see TryMontgomeryToEdwards).
        FieldElement nn = FieldElement.Square(n);
        FieldElement dd = FieldElement.Square(d);
        FieldElement bigU = FieldElement.Sub(nn, dd);
        FieldElement bigV = FieldElement.Add(FieldElement.Mul(nn, EdwardsConstants.D), dd);
        FieldElement uv3 = FieldElement.Mul(bigU, FieldElement.Mul(FieldElement.Square(bigV), bigV));
        FieldElement z = FieldElement.Mul(uv3, dd);
        PrepareSqrtRatio(FieldElement.One, z, out FieldElement zUv3, out FieldElement zUv7);

        // R: x² = (y² − 1)/(d·y² + 1).
        FieldElement yR = FieldElement.FromBytes(r32);
        FieldElement yy = FieldElement.Square(yR);
        FieldElement uR = FieldElement.Sub(yy, FieldElement.One);
        FieldElement vR = FieldElement.Add(FieldElement.Mul(yy, EdwardsConstants.D), FieldElement.One);
        PrepareSqrtRatio(uR, vR, out FieldElement rUv3, out FieldElement rUv7);

        FieldElement4 powers = FieldElement4.Pow22523(FieldElement4.Create(zUv7, rUv7, FieldElement.One, FieldElement.One));
        if (!FinishSqrtRatio(FieldElement.One, z, zUv3, powers.GetLane(0), out FieldElement t)
            || !FinishSqrtRatio(uR, vR, rUv3, powers.GetLane(1), out FieldElement xR))
        {
            return false;
        }

        FieldElement x = FieldElement.Mul(FieldElement.Mul(t, FieldElement.Mul(bigU, bigV)), d);
        FieldElement dInv = FieldElement.Mul(FieldElement.Mul(FieldElement.Square(t), uv3), d);
        FieldElement y = FieldElement.Mul(n, dInv);
        if (x.IsNegative != negative)
        {
            x = FieldElement.Negate(x);
        }

        y.ToBytes(encodedA);
        if (negative)
        {
            encodedA[31] |= 0x80;
        }

        bool negativeR = (r32[31] & 0x80) != 0;
        if (xR.IsNegative != negativeR)
        {
            xR = FieldElement.Negate(xR);
        }

        if (negativeR && xR.IsZero)
        {
            return false;
        }

        pointA = EdwardsPoint.FromAffine(x, y);
        pointR = EdwardsPoint.FromAffine(xR, yR);
        return true;
    }
}
