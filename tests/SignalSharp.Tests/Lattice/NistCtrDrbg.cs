using System.Security.Cryptography;

namespace SignalSharp.Tests.Lattice;

/// <summary>
/// The AES-256 CTR_DRBG (no derivation function, no personalization) that NIST's PQC KAT generator
/// (rng.c, randombytes_init/randombytes) uses; re-implemented from SP 800-90A so the round-3 .rsp files
/// can be replayed from their seeds.
/// </summary>
internal sealed class NistCtrDrbg : IDisposable
{
    private readonly Aes _aes = Aes.Create();
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _v = new byte[16];

    public NistCtrDrbg(ReadOnlySpan<byte> seed48)
    {
        _aes.Key = _key;
        Update(seed48);
    }

    public byte[] Generate(int length)
    {
        var output = new byte[length];
        var block = new byte[16];
        for (int offset = 0; offset < length; offset += 16)
        {
            Increment();
            _aes.EncryptEcb(_v, block, PaddingMode.None);
            block.AsSpan(0, Math.Min(16, length - offset)).CopyTo(output.AsSpan(offset));
        }

        Update(default);
        return output;
    }

    public void Dispose() => _aes.Dispose();

    private void Update(ReadOnlySpan<byte> providedData)
    {
        var temp = new byte[48];
        for (int i = 0; i < 3; i++)
        {
            Increment();
            _aes.EncryptEcb(_v, temp.AsSpan(16 * i, 16), PaddingMode.None);
        }

        for (int i = 0; i < providedData.Length; i++)
        {
            temp[i] ^= providedData[i];
        }

        temp.AsSpan(0, 32).CopyTo(_key);
        temp.AsSpan(32, 16).CopyTo(_v);
        _aes.Key = _key;
    }

    private void Increment()
    {
        for (int j = 15; j >= 0; j--)
        {
            if (_v[j] == 0xFF)
            {
                _v[j] = 0;
            }
            else
            {
                _v[j]++;
                break;
            }
        }
    }
}
