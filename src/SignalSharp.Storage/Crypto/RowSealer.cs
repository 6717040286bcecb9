using System.Security.Cryptography;
using System.Text;

namespace SignalSharp.Storage.Crypto;

/// <summary>
/// Seals row values with AES-256-GCM under a subkey of the storage key, binding each value to its row identity
/// (record kind and key column) as associated data so that values cannot be moved between rows; and computes the
/// keyed tags (HMAC-SHA256 under a second subkey) that stand in for user names in key columns.
/// </summary>
internal sealed class RowSealer : IDisposable
{
    /// <summary>The storage key's required length (AES-256).</summary>
    public const int KeySize = 32;

    /// <summary>Nonce bytes before the ciphertext of a sealed value.</summary>
    public const int NonceSize = 12;

    /// <summary>Tag bytes after the ciphertext of a sealed value.</summary>
    public const int TagSize = 16;

    private static readonly byte[] AdPrefix = Encoding.ASCII.GetBytes("SignalSharp.Storage.v1.row");
    private static readonly byte[] SealInfo = Encoding.ASCII.GetBytes("SignalSharp.Storage.v1 row encryption");
    private static readonly byte[] TagInfo = Encoding.ASCII.GetBytes("SignalSharp.Storage.v1 row tags");

    private readonly AesGcm _aes;
    private readonly byte[] _tagKey = new byte[KeySize];

    public RowSealer(ReadOnlySpan<byte> storageKey)
    {
        if (storageKey.Length != KeySize)
        {
            throw new ArgumentException($"the storage key must be {KeySize} bytes", nameof(storageKey));
        }

        Span<byte> sealKey = stackalloc byte[KeySize];
        try
        {
            HKDF.Expand(HashAlgorithmName.SHA256, storageKey, sealKey, SealInfo);
            HKDF.Expand(HashAlgorithmName.SHA256, storageKey, _tagKey, TagInfo);
            _aes = new AesGcm(sealKey, TagSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sealKey);
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/> for the row (<paramref name="kind"/>, <paramref name="key"/>): nonce ‖ ciphertext ‖ tag.</summary>
    public byte[] Seal(byte kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext)
    {
        var sealedValue = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedValue.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        byte[] ad = AssociatedData(kind, key);
        _aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(NonceSize, plaintext.Length), sealedValue.AsSpan(NonceSize + plaintext.Length), ad);
        return sealedValue;
    }

    /// <summary>Decrypts a value sealed for the row (<paramref name="kind"/>, <paramref name="key"/>); the caller wipes the result.</summary>
    /// <exception cref="StorageCorruptedException">Wrong storage key, a value from another row, or tampered bytes.</exception>
    public byte[] Open(byte kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedValue)
    {
        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new StorageCorruptedException("a stored value is too short to be sealed");
        }

        int length = sealedValue.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            _aes.Decrypt(sealedValue[..NonceSize], sealedValue.Slice(NonceSize, length), sealedValue[(NonceSize + length)..], plaintext, AssociatedData(kind, key));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new StorageCorruptedException("a stored value failed authentication: wrong storage key, or the row was tampered with or moved", e);
        }
    }

    /// <summary>A keyed, deterministic stand-in for <paramref name="data"/> in a key column (domain-separated).</summary>
    public byte[] Tag(string domain, ReadOnlySpan<byte> data)
    {
        byte[] label = Encoding.ASCII.GetBytes(domain);
        var input = new byte[label.Length + 1 + data.Length];
        label.CopyTo(input, 0);
        data.CopyTo(input.AsSpan(label.Length + 1));
        return HMACSHA256.HashData(_tagKey, input);
    }

    public void Dispose()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_tagKey);
    }

    private static byte[] AssociatedData(byte kind, ReadOnlySpan<byte> key)
    {
        var ad = new byte[AdPrefix.Length + 1 + key.Length];
        AdPrefix.CopyTo(ad, 0);
        ad[AdPrefix.Length] = kind;
        key.CopyTo(ad.AsSpan(AdPrefix.Length + 1));
        return ad;
    }
}
