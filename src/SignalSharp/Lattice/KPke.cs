using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SignalSharp.Lattice;

/// <summary>
/// K-PKE, the IND-CPA public-key encryption inside both CRYSTALS-Kyber round 3 and ML-KEM (FIPS 203
/// Algorithms 13–15; identical in the two schemes). Encryption is split into the u part (needs only ρ) and
/// the v part (needs t̂) so that SPQR can send the first ciphertext half before the key vector arrives.
/// Secret intermediates live on the stack and are wiped before returning.
/// </summary>
internal static class KPke
{
    private const int N = Ntt.N;

    /// <summary>
    /// K-PKE.KeyGen from the already-expanded seeds: writes pk = ByteEncode12(t̂) ‖ ρ and
    /// dk = ByteEncode12(ŝ).
    /// </summary>
    [SkipLocalsInit]
    public static void GenerateKeys(LatticeParameters p, ReadOnlySpan<byte> rho, ReadOnlySpan<byte> sigma, Span<byte> publicKey, Span<byte> secretVector)
    {
        int k = p.K;
        Span<short> sHat = stackalloc short[k * N];
        Span<short> eHat = stackalloc short[k * N];
        Span<short> row = stackalloc short[k * N];
        Span<short> t = stackalloc short[N];
        byte nonce = 0;
        for (int i = 0; i < k; i++)
        {
            Sampling.SampleCbd2(sigma, nonce++, sHat.Slice(i * N, N));
            Ntt.Forward(sHat.Slice(i * N, N));
        }

        for (int i = 0; i < k; i++)
        {
            Sampling.SampleCbd2(sigma, nonce++, eHat.Slice(i * N, N));
            Ntt.Forward(eHat.Slice(i * N, N));
        }

        Span<byte> xs = stackalloc byte[k];
        Span<byte> ys = stackalloc byte[k];
        for (int i = 0; i < k; i++)
        {
            // Â[i][j] = SampleNTT(ρ ‖ j ‖ i), the whole row at once.
            for (int j = 0; j < k; j++)
            {
                xs[j] = (byte)j;
                ys[j] = (byte)i;
            }

            Sampling.SampleNttBatch(rho, xs, ys, row);

            Ntt.MultiplyAccumulate(row, sHat, k, t);
            Span<short> e = eHat.Slice(i * N, N);
            for (int c = 0; c < N; c++)
            {
                // The accumulated product carries R^-1; multiplying by R^2 (Montgomery) restores it.
                short value = FieldArithmetic.MontgomeryMultiply(t[c], FieldArithmetic.MontgomerySquare);
                t[c] = FieldArithmetic.BarrettReduce((short)(value + e[c]));
            }

            PolyCodec.Encode12(t, publicKey.Slice(i * PolyCodec.PolyBytes, PolyCodec.PolyBytes));
        }

        rho[..32].CopyTo(publicKey.Slice(p.VectorBytes, 32));
        for (int i = 0; i < k; i++)
        {
            PolyCodec.Encode12(sHat.Slice(i * N, N), secretVector.Slice(i * PolyCodec.PolyBytes, PolyCodec.PolyBytes));
        }

        Wipe(sHat);
        Wipe(eHat);
    }

    /// <summary>K-PKE.Encrypt(pk, m, r) into a full ciphertext c = c1 ‖ c2.</summary>
    [SkipLocalsInit]
    public static void Encrypt(LatticeParameters p, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> coins, Span<byte> ciphertext)
    {
        Span<short> rHat = stackalloc short[p.K * N];
        SampleRandomness(p, coins, rHat);
        EncryptU(p, publicKey.Slice(p.VectorBytes, 32), rHat, coins, ciphertext[..p.Ct1Bytes]);
        EncryptV(p, publicKey[..p.VectorBytes], rHat, coins, message, ciphertext.Slice(p.Ct1Bytes, p.Ct2Bytes));
        Wipe(rHat);
    }

    /// <summary>r̂ ← NTT(SamplePolyCBD(PRF(r, i))) for i = 0..k−1.</summary>
    public static void SampleRandomness(LatticeParameters p, ReadOnlySpan<byte> coins, Span<short> rHat)
    {
        for (int i = 0; i < p.K; i++)
        {
            Sampling.SampleCbd2(coins, (byte)i, rHat.Slice(i * N, N));
            Ntt.Forward(rHat.Slice(i * N, N));
        }
    }

    /// <summary>c1 ← Compress_du(NTT^-1(Âᵀ ∘ r̂) + e1) with e1 from PRF(r, k..2k−1). Needs only ρ of the key.</summary>
    [SkipLocalsInit]
    public static void EncryptU(LatticeParameters p, ReadOnlySpan<byte> rho, ReadOnlySpan<short> rHat, ReadOnlySpan<byte> coins, Span<byte> ct1)
    {
        int k = p.K;
        Span<short> column = stackalloc short[k * N];
        Span<short> u = stackalloc short[N];
        Span<short> error = stackalloc short[N];
        int chunk = 32 * p.Du;
        Span<byte> xs = stackalloc byte[k];
        Span<byte> ys = stackalloc byte[k];
        for (int i = 0; i < k; i++)
        {
            // Âᵀ[i][j] = Â[j][i] = SampleNTT(ρ ‖ i ‖ j), the whole column at once.
            for (int j = 0; j < k; j++)
            {
                xs[j] = (byte)i;
                ys[j] = (byte)j;
            }

            Sampling.SampleNttBatch(rho, xs, ys, column);

            Ntt.MultiplyAccumulate(column, rHat, k, u);
            Ntt.InverseToMontgomery(u);
            Sampling.SampleCbd2(coins, (byte)(k + i), error);
            for (int c = 0; c < N; c++)
            {
                u[c] = FieldArithmetic.BarrettReduce((short)(u[c] + error[c]));
            }

            PolyCodec.CompressEncode(u, p.Du, ct1.Slice(i * chunk, chunk));
        }

        Wipe(u);
        Wipe(error);
    }

    /// <summary>c2 ← Compress_dv(NTT^-1(t̂ᵀ ∘ r̂) + e2 + Decompress1(m)) with e2 from PRF(r, 2k).</summary>
    [SkipLocalsInit]
    public static void EncryptV(LatticeParameters p, ReadOnlySpan<byte> tHatBytes, ReadOnlySpan<short> rHat, ReadOnlySpan<byte> coins, ReadOnlySpan<byte> message, Span<byte> ct2)
    {
        int k = p.K;
        Span<short> tHat = stackalloc short[k * N];
        Span<short> v = stackalloc short[N];
        Span<short> error = stackalloc short[N];
        Span<short> mu = stackalloc short[N];
        for (int i = 0; i < k; i++)
        {
            PolyCodec.Decode12(tHatBytes.Slice(i * PolyCodec.PolyBytes, PolyCodec.PolyBytes), tHat.Slice(i * N, N));
        }

        Ntt.MultiplyAccumulate(tHat, rHat, k, v);
        Ntt.InverseToMontgomery(v);
        Sampling.SampleCbd2(coins, (byte)(2 * k), error);
        PolyCodec.FromMessage(message, mu);
        for (int c = 0; c < N; c++)
        {
            v[c] = FieldArithmetic.BarrettReduce((short)(v[c] + error[c] + mu[c]));
        }

        PolyCodec.CompressEncode(v, p.Dv, ct2[..p.Ct2Bytes]);
        Wipe(v);
        Wipe(error);
        Wipe(mu);
    }

    /// <summary>K-PKE.Decrypt: m ← ByteEncode1(Compress1(v − NTT^-1(ŝᵀ ∘ NTT(u)))).</summary>
    [SkipLocalsInit]
    public static void Decrypt(LatticeParameters p, ReadOnlySpan<byte> secretVector, ReadOnlySpan<byte> ciphertext, Span<byte> message)
    {
        int k = p.K;
        Span<short> uHat = stackalloc short[k * N];
        Span<short> sHat = stackalloc short[k * N];
        Span<short> w = stackalloc short[N];
        Span<short> v = stackalloc short[N];
        int chunk = 32 * p.Du;
        Span<byte> xs = stackalloc byte[k];
        Span<byte> ys = stackalloc byte[k];
        for (int i = 0; i < k; i++)
        {
            PolyCodec.DecodeDecompress(ciphertext.Slice(i * chunk, chunk), p.Du, uHat.Slice(i * N, N));
            Ntt.Forward(uHat.Slice(i * N, N));
            PolyCodec.Decode12(secretVector.Slice(i * PolyCodec.PolyBytes, PolyCodec.PolyBytes), sHat.Slice(i * N, N));
        }

        Ntt.MultiplyAccumulate(sHat, uHat, k, w);
        Ntt.InverseToMontgomery(w);
        PolyCodec.DecodeDecompress(ciphertext.Slice(p.Ct1Bytes, p.Ct2Bytes), p.Dv, v);
        for (int c = 0; c < N; c++)
        {
            w[c] = FieldArithmetic.BarrettReduce((short)(v[c] - w[c]));
        }

        PolyCodec.ToMessage(w, message);
        Wipe(sHat);
        Wipe(w);
        Wipe(uHat);
    }

    /// <summary>Zeroes a coefficient buffer that held secret-dependent values.</summary>
    public static void Wipe(Span<short> buffer) => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(buffer));
}
