namespace SignalSharp.Lattice;

/// <summary>
/// The FIPS 202 functions the lattice KEMs use (H = SHA3-256, G = SHA3-512, J/PRF/KDF = SHAKE-256), taking
/// up to two input pieces so that callers never concatenate secrets into temporary buffers.
/// </summary>
internal static class Sha3
{
    /// <summary>SHA3-256(a ‖ b) into 32 bytes.</summary>
    public static void Sha3_256(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        var sponge = new KeccakSponge(KeccakSponge.Shake256Rate);
        sponge.Absorb(a);
        sponge.Absorb(b);
        sponge.Finish(KeccakSponge.Sha3Domain);
        sponge.Squeeze(output[..32]);
        sponge.Clear();
    }

    /// <summary>SHA3-512(a ‖ b) into 64 bytes.</summary>
    public static void Sha3_512(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        var sponge = new KeccakSponge(KeccakSponge.Sha3512Rate);
        sponge.Absorb(a);
        sponge.Absorb(b);
        sponge.Finish(KeccakSponge.Sha3Domain);
        sponge.Squeeze(output[..64]);
        sponge.Clear();
    }

    /// <summary>SHAKE-256(a ‖ b) into output.Length bytes.</summary>
    public static void Shake256(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        var sponge = new KeccakSponge(KeccakSponge.Shake256Rate);
        sponge.Absorb(a);
        sponge.Absorb(b);
        sponge.Finish(KeccakSponge.ShakeDomain);
        sponge.Squeeze(output);
        sponge.Clear();
    }
}
