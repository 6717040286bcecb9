namespace SignalSharp.Lattice;

/// <summary>
/// A parameter set of the module-lattice K-PKE shared by CRYSTALS-Kyber round 3 and ML-KEM (FIPS 203
/// §8): module rank k and the compression widths d_u, d_v (η1 = η2 = 2 for both sets used here).
/// </summary>
internal sealed class LatticeParameters
{
    /// <summary>k = 3, d_u = 10, d_v = 4 (ML-KEM-768 / Kyber768).</summary>
    public static readonly LatticeParameters Rank3 = new(3, 10, 4);

    /// <summary>k = 4, d_u = 11, d_v = 5 (ML-KEM-1024 / Kyber1024).</summary>
    public static readonly LatticeParameters Rank4 = new(4, 11, 5);

    private LatticeParameters(int k, int du, int dv)
    {
        K = k;
        Du = du;
        Dv = dv;
    }

    /// <summary>Module rank.</summary>
    public int K { get; }

    /// <summary>Bits per coefficient of the compressed u vector.</summary>
    public int Du { get; }

    /// <summary>Bits per coefficient of the compressed v polynomial.</summary>
    public int Dv { get; }

    /// <summary>Bytes of the packed t̂ vector (also of the K-PKE decryption key ŝ).</summary>
    public int VectorBytes => PolyCodec.PolyBytes * K;

    /// <summary>Bytes of the public/encapsulation key: t̂ ‖ ρ.</summary>
    public int PublicKeyBytes => VectorBytes + 32;

    /// <summary>Bytes of the compressed u part of a ciphertext.</summary>
    public int Ct1Bytes => 32 * Du * K;

    /// <summary>Bytes of the compressed v part of a ciphertext.</summary>
    public int Ct2Bytes => 32 * Dv;

    /// <summary>Bytes of a ciphertext.</summary>
    public int CiphertextBytes => Ct1Bytes + Ct2Bytes;

    /// <summary>Bytes of the KEM secret key: ŝ ‖ pk ‖ H(pk) ‖ z (same layout in round 3 and FIPS 203).</summary>
    public int SecretKeyBytes => VectorBytes + PublicKeyBytes + 64;
}
