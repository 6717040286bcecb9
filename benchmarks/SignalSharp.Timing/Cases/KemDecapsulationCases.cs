using SignalSharp.Lattice;

namespace SignalSharp.Timing.Cases;

/// <summary>The KEM decapsulation variants: the scheme's three operations, so one class serves ML-KEM and Kyber.</summary>
internal abstract class KemDecapsulationCase(
    string scheme,
    int ekSize,
    int dkSize,
    int ctSize,
    Action<byte[], byte[], byte[], byte[]> keyGen,
    Action<byte[], byte[], byte[], byte[]> encapsulate,
    Action<byte[], byte[], byte[]> decapsulate) : TimingCase
{
    protected readonly byte[][][] DecapsulationKeys = [new byte[PoolSize][], new byte[PoolSize][]];
    protected readonly byte[][][] Ciphertexts = [new byte[PoolSize][], new byte[PoolSize][]];
    private readonly byte[] _shared = new byte[32];

    protected string Scheme => scheme;

    protected int EkSize => ekSize;

    protected int DkSize => dkSize;

    protected (byte[] Dk, byte[] Ct) NewKeyAndCiphertext(Random random)
    {
        byte[] d = new byte[32], z = new byte[32], m = new byte[32];
        random.NextBytes(d);
        random.NextBytes(z);
        random.NextBytes(m);
        byte[] ek = new byte[ekSize], dk = new byte[dkSize], ct = new byte[ctSize];
        keyGen(d, z, ek, dk);
        encapsulate(ek, m, ct, new byte[32]);
        return (dk, ct);
    }

    protected byte[] RandomCiphertext(Random random)
    {
        var ct = new byte[ctSize];
        random.NextBytes(ct);
        return ct;
    }

    public override void Run(int cls, int index) => decapsulate(DecapsulationKeys[cls][index], Ciphertexts[cls][index], _shared);

    public static IEnumerable<TimingCase> All()
    {
        yield return new SecretKeyCase("ml-kem-1024", MlKem1024.EncapsulationKeySize, MlKem1024.DecapsulationKeySize, MlKem1024.CiphertextSize,
            (d, z, ek, dk) => MlKem1024.GenerateKeyPair(d, z, ek, dk), (ek, m, ct, ss) => MlKem1024.Encapsulate(ek, m, ct, ss), (dk, ct, ss) => MlKem1024.Decapsulate(dk, ct, ss));
        yield return new RejectionCase("ml-kem-1024", MlKem1024.EncapsulationKeySize, MlKem1024.DecapsulationKeySize, MlKem1024.CiphertextSize,
            (d, z, ek, dk) => MlKem1024.GenerateKeyPair(d, z, ek, dk), (ek, m, ct, ss) => MlKem1024.Encapsulate(ek, m, ct, ss), (dk, ct, ss) => MlKem1024.Decapsulate(dk, ct, ss));
        yield return new RejectionCase("kyber1024", Kyber1024.EncapsulationKeySize, Kyber1024.DecapsulationKeySize, Kyber1024.CiphertextSize,
            (d, z, ek, dk) => Kyber1024.GenerateKeyPair(d, z, ek, dk), (ek, m, ct, ss) => Kyber1024.Encapsulate(ek, m, ct, ss), (dk, ct, ss) => Kyber1024.Decapsulate(dk, ct, ss));
    }

    /// <summary>
    /// The secret part of the decapsulation key (the vector s and the rejection seed z): fixed vs random, with the public
    /// part (ek, so the matrix seed rho, and H(ek)) and the ciphertext fixed. Varying whole keys would also vary rho,
    /// whose rejection sampling of the matrix is public-data-dependent by design (FIPS 203) and alone makes decapsulation
    /// measurably slower when rho changes from call to call (branch history): that is not a secret leak.
    /// FIPS 203 layout: dk = dk_PKE (384k) | ek | H(ek) | z. A random s does not decrypt the fixed ciphertext, so class 1
    /// also takes the implicit-rejection path; the rejection case shows that path alone costs the same.
    /// </summary>
    private sealed class SecretKeyCase(string scheme, int ekSize, int dkSize, int ctSize, Action<byte[], byte[], byte[], byte[]> keyGen, Action<byte[], byte[], byte[], byte[]> encapsulate, Action<byte[], byte[], byte[]> decapsulate)
        : KemDecapsulationCase(scheme, ekSize, dkSize, ctSize, keyGen, encapsulate, decapsulate)
    {
        public override string Name => $"{Scheme}-decaps-key";

        public override string Classes => "secret s and z: fixed vs random (ek, rho and ciphertext fixed)";

        public override void Prepare(Random random)
        {
            var (dk, ct) = NewKeyAndCiphertext(random);
            int publicStart = DkSize - EkSize - 64;
            for (int i = 0; i < PoolSize; i++)
            {
                DecapsulationKeys[0][i] = (byte[])dk.Clone();
                Ciphertexts[0][i] = (byte[])ct.Clone();
                var other = NewKeyAndCiphertext(random).Dk;
                dk.AsSpan(publicStart, EkSize + 32).CopyTo(other.AsSpan(publicStart));
                DecapsulationKeys[1][i] = other;
                Ciphertexts[1][i] = (byte[])ct.Clone();
            }
        }
    }

    /// <summary>One key; class 0 a valid ciphertext, class 1 random ciphertexts that take the implicit-rejection path.</summary>
    private sealed class RejectionCase(string scheme, int ekSize, int dkSize, int ctSize, Action<byte[], byte[], byte[], byte[]> keyGen, Action<byte[], byte[], byte[], byte[]> encapsulate, Action<byte[], byte[], byte[]> decapsulate)
        : KemDecapsulationCase(scheme, ekSize, dkSize, ctSize, keyGen, encapsulate, decapsulate)
    {
        public override string Name => $"{Scheme}-decaps-reject";

        public override string Classes => "ciphertext: valid (accepted) vs random (implicit rejection), same key";

        public override void Prepare(Random random)
        {
            var (dk, ct) = NewKeyAndCiphertext(random);
            for (int i = 0; i < PoolSize; i++)
            {
                DecapsulationKeys[0][i] = (byte[])dk.Clone();
                DecapsulationKeys[1][i] = (byte[])dk.Clone();
                Ciphertexts[0][i] = (byte[])ct.Clone();
                Ciphertexts[1][i] = RandomCiphertext(random);
            }
        }
    }
}
